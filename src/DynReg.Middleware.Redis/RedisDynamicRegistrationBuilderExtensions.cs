using DynReg.Middleware;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Redis;
using DynReg.Middleware.Stores;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts the provider's state in Redis, so several instances of an app act as one.</summary>
public static class RedisDynamicRegistrationBuilderExtensions
{
    /// <summary>
    /// Replaces the in-memory stores with Redis: clients, connections, tenant settings, consents and
    /// short-lived protocol state (codes, refresh tokens, login transactions). Also shares what the
    /// instances must share (see <see cref="RedisStoreOptions.PersistDataProtectionKeys"/> and
    /// <see cref="RedisStoreOptions.ShareGeneratedSigningKey"/>) and caches client lookups
    /// (<see cref="RedisStoreOptions.ClientCacheDuration"/>). The connection opens on first use.
    /// </summary>
    public static DynamicRegistrationBuilder AddRedisStores(this DynamicRegistrationBuilder builder, Action<RedisStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<RedisStoreOptions>().Configure(configure).ValidateOnStart();

        // A second call only adds configuration: the stores are replaced and decorated once.
        if (services.Any(d => d.ServiceType == typeof(RedisConnection)))
        {
            return builder;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisStoreOptions>, RedisStoreOptionsValidator>());
        services.AddSingleton<RedisConnection>();
        services.AddSingleton(static sp => new RedisKeys(sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value.KeyPrefix));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreFailureClassifier, RedisFailureClassifier>());

        // Through the builder's slots: a host store chosen later for one slot keeps the client cache.
        builder.AddClientStore<RedisClientStore>()
            .AddConnectionStore<RedisConnectionStore>()
            .AddTenantSettingsStore<RedisTenantSettingsStore>()
            .AddProtocolStateStore<RedisProtocolStateStore>()
            .AddConsentStore<RedisConsentStore>()
            .DecorateStore<IClientStore, CachingClientStore>()
            .UseSigningKeySource<RedisSigningKeySource>();

        services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>().Configure<RedisConnection, RedisKeys, IOptions<RedisStoreOptions>>(
            static (keyManagement, redis, keys, options) =>
            {
                if (options.Value.PersistDataProtectionKeys)
                {
                    keyManagement.XmlRepository = new RedisXmlRepository(redis.GetDatabase, keys.DataProtectionKeys);
                }
            });

        return builder;
    }

    /// <summary>
    /// Adds a health check (<c>AddHealthChecks()</c>) that reports whether Redis answers.
    /// Map it with the host's own <c>app.MapHealthChecks(...)</c>.
    /// </summary>
    public static DynamicRegistrationBuilder AddRedisHealthCheck(
        this DynamicRegistrationBuilder builder,
        string name = "dynreg-redis",
        HealthStatus failureStatus = HealthStatus.Unhealthy,
        params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(d => d.ServiceType == typeof(RedisConnection)))
        {
            throw new InvalidOperationException("Call AddRedisStores(...) before AddRedisHealthCheck().");
        }

        builder.Services.AddHealthChecks().AddCheck<RedisStoreHealthCheck>(name, failureStatus, tags);
        return builder;
    }
}
