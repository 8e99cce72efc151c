using System.Net;
using System.Text.Json;
using DynReg.Middleware.Stores;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>What <c>AddRedisStores</c> puts into a host, and what two hosts on one Redis share.</summary>
public sealed class AddRedisStoresTests
{
    private static Action<RedisStoreOptions> SharedRedis(string prefix) => o =>
    {
        o.ConnectionMultiplexerFactory = () => Task.FromResult(RedisTestServer.Multiplexer);
        o.KeyPrefix = prefix;
    };

    [Fact]
    public async Task AddRedisStores_Host_ReplacesEveryStoreAndCachesClients()
    {
        await using var host = await RedisHost.StartAsync(SharedRedis(RedisTestServer.NewKeyPrefix()));

        // Inside the package's timing decorator (dynreg.store.duration), which stays outermost.
        TimedStores.Undecorated(host.Services.GetRequiredService<IClientStore>()).ShouldBeOfType<CachingClientStore>();
        TimedStores.Undecorated(host.Services.GetRequiredService<IConnectionStore>()).ShouldBeOfType<RedisConnectionStore>();
        TimedStores.Undecorated(host.Services.GetRequiredService<ITenantSettingsStore>()).ShouldBeOfType<RedisTenantSettingsStore>();
        host.Services.GetRequiredService<IProtocolStateStore>().ShouldBeOfType<RedisProtocolStateStore>();
        host.Services.GetRequiredService<IConsentStore>().ShouldBeOfType<RedisConsentStore>();
        host.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository.ShouldBeOfType<RedisXmlRepository>();
    }

    [Fact]
    public async Task AddRedisStores_NoConnectionSetting_StartFailsNamingTheSettings()
    {
        var failure = await Should.ThrowAsync<OptionsValidationException>(() => RedisHost.StartAsync(o => o.KeyPrefix = "dynreg:"));

        failure.Message.ShouldContain("RedisStoreOptions.Configuration");
        failure.Message.ShouldContain("ConnectionMultiplexerFactory");
    }

    [Fact]
    public async Task AddRedisStores_Host_KeepsEveryKeyUnderThePrefix()
    {
        var prefix = RedisTestServer.NewKeyPrefix();
        await using var host = await RedisHost.StartAsync(SharedRedis(prefix));
        (await host.RegisterAsync()).Status.ShouldBe(HttpStatusCode.Created);

        var server = RedisTestServer.Multiplexer.GetServers()[0];
        var keys = server.Keys(pattern: prefix + "*").Select(k => k.ToString()).ToArray();
        keys.ShouldContain(prefix + "clients:order");
        keys.Length.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task Host_StoppedAndStartedAgain_FindsEveryClient()
    {
        var prefix = RedisTestServer.NewKeyPrefix();
        var clientIds = new List<string>();
        await using (var first = await RedisHost.StartAsync(SharedRedis(prefix)))
        {
            for (var i = 0; i < 5; i++)
            {
                clientIds.Add((await first.RegisterAsync()).ClientId!);
            }
        }

        await using var second = await RedisHost.StartAsync(SharedRedis(prefix));

        var token = await second.GetManagementTokenAsync();
        foreach (var clientId in clientIds)
        {
            using var found = await second.SendAsync(HttpMethod.Get, $"/api/v2/clients/{clientId}", token);
            found.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task TwoHosts_NoSigningKeyAdded_SignWithOneKeyStoredOnceInRedis()
    {
        var prefix = RedisTestServer.NewKeyPrefix();
        await using var a = await RedisHost.StartAsync(SharedRedis(prefix), addSigningKey: false);
        await using var b = await RedisHost.StartAsync(SharedRedis(prefix), a.Issuer, addSigningKey: false);

        var kidsA = await KidsAsync(a);
        var kidsB = await KidsAsync(b);

        kidsA.Length.ShouldBe(1);
        kidsB.ShouldBe(kidsA);
        (await RedisTestServer.Multiplexer.GetDatabase().StringGetAsync(prefix + "signing-key")).ToString().ShouldStartWith("-----BEGIN PRIVATE KEY-----");

        // A token from one instance is accepted by the other's Management API.
        var token = await a.GetManagementTokenAsync();
        using var list = await b.SendAsync(HttpMethod.Get, "/api/v2/clients", token);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TwoHosts_DataProtection_ProtectedOnOneUnprotectedOnTheOther()
    {
        var prefix = RedisTestServer.NewKeyPrefix();
        await using var a = await RedisHost.StartAsync(SharedRedis(prefix));
        await using var b = await RedisHost.StartAsync(SharedRedis(prefix), a.Issuer);

        var secret = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");

        b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret).ShouldBe("hello");
        (await RedisTestServer.Multiplexer.GetDatabase().ListLengthAsync(prefix + "data-protection-keys")).ShouldBe(1);
    }

    [Fact]
    public async Task HealthCheck_RedisAnswers_Healthy()
    {
        await using var provider = HealthServices(SharedRedis(RedisTestServer.NewKeyPrefix()));

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries["dynreg-redis"].Status.ShouldBe(HealthStatus.Healthy, report.Entries["dynreg-redis"].Description);
    }

    [Fact]
    public async Task HealthCheck_NothingListening_Unhealthy()
    {
        using var stopped = RedisProcess.Start();
        stopped.Kill();
        await using var provider = HealthServices(o => o.Configuration = stopped.Address + ",abortConnect=false,connectTimeout=300,asyncTimeout=300,syncTimeout=300");

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries["dynreg-redis"].Status.ShouldBe(HealthStatus.Unhealthy);
    }

    [Fact]
    public void HealthCheck_NotAsked_NotAdded()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDynamicClientRegistration().AddRedisStores(SharedRedis(RedisTestServer.NewKeyPrefix()));

        services.ShouldNotContain(d => d.ServiceType == typeof(HealthCheckService));
    }

    private static ServiceProvider HealthServices(Action<RedisStoreOptions> redis)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDynamicClientRegistration().AddRedisStores(redis).AddRedisHealthCheck();
        return services.BuildServiceProvider();
    }

    private static async Task<string[]> KidsAsync(RedisHost host)
    {
        using var jwks = JsonDocument.Parse(await host.Http.GetStringAsync("/.well-known/jwks.json"));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }
}
