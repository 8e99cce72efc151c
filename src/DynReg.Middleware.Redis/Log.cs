using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Redis;

/// <summary>Redis store log lines; event ids 6000-6099. Never a key's value.</summary>
internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Information, "Connected to Redis; keys start with {KeyPrefix}.")]
    public static partial void Connected(ILogger logger, string keyPrefix);

    [LoggerMessage(6001, LogLevel.Warning, "Could not connect to Redis; the next call tries again.")]
    public static partial void ConnectFailed(ILogger logger, Exception exception);

    [LoggerMessage(6002, LogLevel.Warning, "Could not announce a client change to other instances; their caches drop it within {CacheDuration}.")]
    public static partial void ClientChangePublishFailed(ILogger logger, TimeSpan cacheDuration, Exception exception);

    [LoggerMessage(6003, LogLevel.Warning, "Could not subscribe to client changes; clients are not cached until it succeeds.")]
    public static partial void ClientChangeSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(6004, LogLevel.Information, "Generated the shared signing key and stored it in Redis.")]
    public static partial void SigningKeyGenerated(ILogger logger);

    [LoggerMessage(6005, LogLevel.Information, "Signing with the shared key stored in Redis. Add a key with AddSigningKey(...) to use your own.")]
    public static partial void SharedSigningKeyInUse(ILogger logger);
}
