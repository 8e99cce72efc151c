using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Tokens;

/// <summary>Token endpoint log lines; event ids 3000-3099. Never a secret, code or token.</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Information, "Issued an access token to client {ClientId} by {GrantType} for {Audience}.")]
    public static partial void TokenIssued(ILogger logger, string clientId, string grantType, string audience);

    [LoggerMessage(3001, LogLevel.Information, "Token request rejected with {Error}: {Description}")]
    public static partial void TokenRequestRejected(ILogger logger, string error, string? description);
}
