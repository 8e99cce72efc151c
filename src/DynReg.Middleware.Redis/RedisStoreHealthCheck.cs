using DynReg.Middleware.Stores;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DynReg.Middleware.Redis;

/// <summary>Healthy when Redis answers a PING; reports the round trip.</summary>
internal sealed class RedisStoreHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var latency = await db.PingAsync();
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception) || exception is StoreUnavailableException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is unreachable.", exception);
        }
    }
}
