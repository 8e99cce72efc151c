using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Login;

/// <summary>Login log lines; event ids 5000-5099. Never a password, ticket or token; no username either.</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Information, "Sign-in through {Connection} succeeded for {Subject} (client {ClientId}).")]
    public static partial void SignInSucceeded(ILogger logger, string connection, string subject, string clientId);

    [LoggerMessage(5001, LogLevel.Information, "Sign-in through {Connection} failed: {Reason} (client {ClientId}).")]
    public static partial void SignInFailed(ILogger logger, string connection, string reason, string clientId);

    [LoggerMessage(5002, LogLevel.Warning, "Credential post refused: {Reason}.")]
    public static partial void CredentialPostRefused(ILogger logger, string reason);
}
