using System.Diagnostics.Metrics;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>
/// AddRedisStores replaces the stores, and the timing decorator with them; it must time the Redis
/// stores again (outside the client cache), so dynreg.store.duration keeps measuring.
/// </summary>
public sealed class StoreMetricsTests
{
    [Fact]
    public async Task AddRedisStores_StoreCalls_StillTimed()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDynamicClientRegistration(o => o.Issuer = TestHost.Issuer).AddSigningKey(TestHost.SigningKey).AddRedisStores(o =>
        {
            o.ConnectionMultiplexerFactory = () => Task.FromResult(RedisTestServer.Multiplexer);
            o.KeyPrefix = RedisTestServer.NewKeyPrefix();
        });
        await using var provider = services.BuildServiceProvider();
        var measurements = new List<(string Store, string Operation)>();

        // Only this provider's meter: other tests in the process measure their own stores at the same time.
        var meterFactory = provider.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory)
                    && instrument.Meter.Name == DynamicRegistrationMetrics.MeterName && instrument.Name == DynamicRegistrationMetrics.StoreDuration)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            var all = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            lock (measurements)
            {
                measurements.Add(((string)all["store"]!, (string)all["operation"]!));
            }
        });
        listener.Start();

        var clients = provider.GetRequiredService<IClientStore>();
        await clients.FindByIdAsync("nobody", CancellationToken.None);
        (await clients.CountDynamicClientsAsync(CancellationToken.None)).ShouldBe(0);
        await provider.GetRequiredService<ITenantSettingsStore>().GetAsync(CancellationToken.None);

        measurements.ShouldBe([("client", "find"), ("client", "count"), ("tenant_settings", "get")]);
        services.Count(d => d.ServiceType == typeof(IClientStore) && !d.IsKeyedService).ShouldBe(1);
    }
}
