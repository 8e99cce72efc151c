using DynReg.Middleware.Stores;
using DynReg.Middleware.Testing.StoreContracts;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Redis.Tests;

public sealed class RedisClientStoreTests : ClientStoreContract
{
    protected override Task<IClientStore> CreateStoreAsync()
    {
        var options = RedisTestServer.Options();
        return Task.FromResult<IClientStore>(new RedisClientStore(RedisTestServer.Connection(options), new RedisKeys(options.KeyPrefix)));
    }
}

/// <summary>The same contract through the read-through cache, as hosts get it.</summary>
public sealed class CachedRedisClientStoreTests : ClientStoreContract
{
    protected override Task<IClientStore> CreateStoreAsync()
    {
        var options = RedisTestServer.Options();
        var connection = RedisTestServer.Connection(options);
        var keys = new RedisKeys(options.KeyPrefix);
        return Task.FromResult<IClientStore>(new CachingClientStore(
            new RedisClientStore(connection, keys), connection, keys, Options.Create(options), TimeProvider.System));
    }
}

public sealed class RedisConnectionStoreTests : ConnectionStoreContract
{
    protected override Task<IConnectionStore> CreateStoreAsync()
    {
        var options = RedisTestServer.Options();
        return Task.FromResult<IConnectionStore>(new RedisConnectionStore(RedisTestServer.Connection(options), new RedisKeys(options.KeyPrefix)));
    }
}

public sealed class RedisTenantSettingsStoreTests : TenantSettingsStoreContract
{
    protected override Task<ITenantSettingsStore> CreateStoreAsync(DynamicRegistrationOptions options)
    {
        var redis = RedisTestServer.Options();
        return Task.FromResult<ITenantSettingsStore>(new RedisTenantSettingsStore(
            RedisTestServer.Connection(redis), new RedisKeys(redis.KeyPrefix), Options.Create(options)));
    }
}

public sealed class RedisProtocolStateContractTests : ProtocolStateContract
{
    protected override Task<IProtocolStateStore> CreateStoreAsync()
    {
        var options = RedisTestServer.Options();
        return Task.FromResult<IProtocolStateStore>(new RedisProtocolStateStore(RedisTestServer.Connection(options), new RedisKeys(options.KeyPrefix)));
    }
}
