using System.Text.Json;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>
/// The tenant settings as one JSON value. Until the first change, the key is absent and the
/// host's initial values answer; updates are optimistic transactions that retry on conflict.
/// </summary>
internal sealed class RedisTenantSettingsStore(RedisConnection redis, RedisKeys keys, IOptions<DynamicRegistrationOptions> options) : ITenantSettingsStore
{
    private readonly TenantSettings _initial = options.Value.InitialTenantSettings.ToTenantSettings();

    public async Task<TenantSettings> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            return Deserialize(await db.StringGetAsync(keys.TenantSettings)) ?? _initial;
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<TenantSettings> UpdateAsync(Func<TenantSettings, TenantSettings> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var key = keys.TenantSettings;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var json = await db.StringGetAsync(key);
                var updated = update(Deserialize(json) ?? _initial);
                var transaction = db.CreateTransaction();
                transaction.AddCondition(json.IsNull ? Condition.KeyNotExists(key) : Condition.StringEqual(key, json));
                _ = transaction.StringSetAsync(key, JsonSerializer.SerializeToUtf8Bytes(updated, RedisJsonContext.Default.TenantSettings));
                if (await transaction.ExecuteAsync())
                {
                    return updated;
                }
            }
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    private static TenantSettings? Deserialize(RedisValue json)
        => json.IsNull ? null : JsonSerializer.Deserialize((byte[])json!, RedisJsonContext.Default.TenantSettings);
}
