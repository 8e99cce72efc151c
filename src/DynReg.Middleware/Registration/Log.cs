using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Registration;

/// <summary>Registration log lines; event ids 1000-1099. No parameter may carry a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Registered third-party client {ClientId} ({TokenEndpointAuthMethod}, {SecurityMode} mode).")]
    public static partial void ClientRegistered(ILogger logger, string clientId, string tokenEndpointAuthMethod, DynamicClientRegistrationSecurityMode securityMode);

    [LoggerMessage(1001, LogLevel.Information, "Registration refused: dynamic client registration is disabled for this tenant.")]
    public static partial void RegistrationDisabled(ILogger logger);

    [LoggerMessage(1002, LogLevel.Information, "Registration rejected with {Error}: {Description}")]
    public static partial void RegistrationRejected(ILogger logger, string error, string? description);

    [LoggerMessage(1003, LogLevel.Information, "Registration rejected: the body is larger than {Limit} bytes.")]
    public static partial void BodyTooLarge(ILogger logger, int limit);

    [LoggerMessage(1004, LogLevel.Warning, "A generated client id collided with an existing one; generating another.")]
    public static partial void ClientIdCollision(ILogger logger);

    [LoggerMessage(1005, LogLevel.Information, "Registration refused by the {Scope} rate limit; retry after {RetryAfterSeconds} s.")]
    public static partial void RateLimited(ILogger logger, RateLimitScope scope, int retryAfterSeconds);

    [LoggerMessage(1006, LogLevel.Warning, "Registration refused: the tenant holds the most dynamic clients allowed ({MaxDynamicClients}).")]
    public static partial void ClientCeilingReached(ILogger logger, int maxDynamicClients);

    [LoggerMessage(1007, LogLevel.Information, "Registration refused by the policy {Policy} with {Error}.")]
    public static partial void PolicyRefused(ILogger logger, string policy, string error);
}
