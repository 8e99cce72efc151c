using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Authorization;

/// <summary>Authorization log lines; event ids 4000-4099. Never a code, token or password.</summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Information, "Authorization request refused with {Error}: {Description}")]
    public static partial void AuthorizeRefused(ILogger logger, string error, string? description);

    [LoggerMessage(4001, LogLevel.Information, "Consent asked of a user for client {ClientId}.")]
    public static partial void ConsentShown(ILogger logger, string clientId);

    [LoggerMessage(4002, LogLevel.Information, "Authorization response ({ResponseType}) issued to client {ClientId}.")]
    public static partial void AuthorizationIssued(ILogger logger, string clientId, string responseType);

    [LoggerMessage(4003, LogLevel.Information, "User declined consent for client {ClientId}.")]
    public static partial void ConsentDeclined(ILogger logger, string clientId);

    [LoggerMessage(4004, LogLevel.Information, "Sign-in for client {ClientId} not started: the address started too many; retry after {RetryAfterSeconds} s.")]
    public static partial void SignInStartLimited(ILogger logger, string clientId, int retryAfterSeconds);
}
