using DynReg.Middleware.Stores;

namespace DynReg.Middleware.Redis;

/// <summary>
/// Short-lived protocol state as Redis strings with an expiry (SET PX), so Redis forgets them
/// itself. <see cref="TakeAsync"/> is GETDEL: one atomic command, so of concurrent takes on any
/// number of instances exactly one gets the value (single-use codes, tickets, refresh tokens).
/// </summary>
internal sealed class RedisProtocolStateStore(RedisConnection redis, RedisKeys keys) : IProtocolStateStore
{
    public async Task SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            if (lifetime <= TimeSpan.Zero)
            {
                // Already expired: nothing to keep, and nothing older under that key either.
                await db.KeyDeleteAsync(keys.ProtocolState(key));
                return;
            }

            await db.StringSetAsync(keys.ProtocolState(key), value, lifetime);
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            return await db.StringGetAsync(keys.ProtocolState(key));
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<byte[]?> TakeAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            return await db.StringGetDeleteAsync(keys.ProtocolState(key));
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            await db.KeyDeleteAsync(keys.ProtocolState(key));
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }
}
