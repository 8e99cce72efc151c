using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Tokens;

/// <summary>Token endpoint log lines; event ids 3000-3099. Never a secret, code or token.</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Information, "Issued an access token to client {ClientId} by {GrantType} for {Audience}.")]
    public static partial void TokenIssued(ILogger logger, string clientId, string grantType, string audience);

    [LoggerMessage(3002, LogLevel.Warning, "Dropped claim {ClaimName} from {Contributor}: custom claims must be namespaced (https://...) and may not replace a standard claim.")]
    public static partial void CustomClaimDropped(ILogger logger, string claimName, string contributor);

    [LoggerMessage(3003, LogLevel.Warning, "A refresh token was used twice; its whole family is revoked.")]
    public static partial void RefreshTokenReuse(ILogger logger);

    [LoggerMessage(3004, LogLevel.Warning, "An authorization code was used twice; tokens issued from it are revoked where possible.")]
    public static partial void CodeReplay(ILogger logger);

    [LoggerMessage(3001, LogLevel.Information, "Token request rejected with {Error}: {Description}")]
    public static partial void TokenRequestRejected(ILogger logger, string error, string? description);

    [LoggerMessage(3005, LogLevel.Warning, "The signing-key source {Source} cannot reach its store (attempt {Attempt}); start-up tries again.")]
    public static partial void SigningKeySourceUnavailable(ILogger logger, string source, int attempt, Exception exception);
}
