using DynReg.Middleware.Stores;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>Which Redis errors are an outage (the endpoints answer 503) rather than a bug.</summary>
internal static class RedisFailure
{
    public static bool IsOutage(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => true,

        // A server still loading its data, or a replica during fail-over.
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal),
        _ => false,
    };

    public static StoreUnavailableException Unavailable(Exception exception)
        => new("Redis is unavailable: " + exception.GetType().Name + ".", exception);
}

/// <summary>
/// Lets the endpoints answer 503 for Redis outages met outside the stores, such as Data
/// Protection reading its keys from Redis while the session cookie is signed.
/// </summary>
internal sealed class RedisFailureClassifier : IStoreFailureClassifier
{
    public bool IsUnavailable(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (RedisFailure.IsOutage(current))
            {
                return true;
            }
        }

        return false;
    }
}
