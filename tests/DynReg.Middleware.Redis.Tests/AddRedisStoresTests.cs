using StackExchange.Redis;
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

    // Login transactions go through the one protocol-state store like every other piece of
    // short-lived state: a plain string with an expiry, under the store's prefix.
    [Fact]
    public async Task LoginPage_Host_TransactionKeptInTheProtocolStateStore()
    {
        var prefix = RedisTestServer.NewKeyPrefix();
        await using var host = await RedisHost.StartAsync(SharedRedis(prefix), build: b => b.AddConnection("Username-Password-Authentication", isDomainConnection: true));
        var clientId = (await host.RegisterAsync()).ClientId!;

        using var page = await host.SendAsync(HttpMethod.Get,
            $"/authorize?client_id={clientId}&redirect_uri={Uri.EscapeDataString("https://app.example.com/callback")}&response_type=code&scope=openid&state=s");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var server = RedisTestServer.Multiplexer.GetServers()[0];
        var transactions = server.Keys(pattern: prefix + "state:tx:*").ToArray();
        transactions.Length.ShouldBe(1);
        var db = RedisTestServer.Multiplexer.GetDatabase();
        (await db.KeyTypeAsync(transactions[0])).ShouldBe(RedisType.String);
        (await db.KeyTimeToLiveAsync(transactions[0])).ShouldNotBeNull();
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

    // Issue 8: register, change settings and a connection, stop the host, start it again: all of it
    // is still there, and a client registered before the restart signs in through the promoted connection.
    [Fact]
    public async Task Host_StoppedAndStartedAgain_ClientsConnectionsAndSettingsStillThereAndWork()
    {
        const string Connection = "Username-Password-Authentication";
        var prefix = RedisTestServer.NewKeyPrefix();
        var clientIds = new List<string>();
        await using (var first = await RedisHost.StartAsync(SharedRedis(prefix), build: b => b.AddConnection(Connection)))
        {
            for (var i = 0; i < 5; i++)
            {
                clientIds.Add((await first.RegisterAsync()).ClientId!);
            }

            var token = await first.GetManagementTokenAsync();
            var connection = await first.Services.GetRequiredService<IConnectionStore>().FindByNameAsync(Connection, CancellationToken.None);
            using var promote = await PatchAsync(first, $"/api/v2/connections/{connection!.Id}", token, """{"is_domain_connection":true}""");
            promote.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var settings = await PatchAsync(first, "/api/v2/tenants/settings", token, """{"friendly_name":"Restarted Tenant"}""");
            settings.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await using var second = await RedisHost.StartAsync(SharedRedis(prefix), build: b => b.AddConnection(Connection));

        var secondToken = await second.GetManagementTokenAsync();
        foreach (var clientId in clientIds)
        {
            using var found = await second.SendAsync(HttpMethod.Get, $"/api/v2/clients/{clientId}", secondToken);
            found.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var connections = await second.SendAsync(HttpMethod.Get, $"/api/v2/connections?name={Connection}", secondToken))
        {
            using var body = JsonDocument.Parse(await connections.Content.ReadAsStringAsync());
            body.RootElement.GetArrayLength().ShouldBe(1, "the declared connection is not seeded twice");
            body.RootElement[0].GetProperty("is_domain_connection").GetBoolean().ShouldBeTrue();
        }

        using (var tenant = await second.SendAsync(HttpMethod.Get, "/api/v2/tenants/settings", secondToken))
        {
            using var body = JsonDocument.Parse(await tenant.Content.ReadAsStringAsync());
            body.RootElement.GetProperty("friendly_name").GetString().ShouldBe("Restarted Tenant");
            body.RootElement.GetProperty("flags").GetProperty("enable_dynamic_client_registration").GetBoolean().ShouldBeTrue();
        }

        using var login = await second.SendAsync(HttpMethod.Get,
            $"/authorize?client_id={clientIds[0]}&redirect_uri={Uri.EscapeDataString("https://app.example.com/callback")}&response_type=code&scope=openid&state=s");
        login.StatusCode.ShouldBe(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        (await login.Content.ReadAsStringAsync()).ShouldContain("atob(");
    }

    private static async Task<HttpResponseMessage> PatchAsync(RedisHost host, string path, string token, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await host.Http.SendAsync(request);
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
