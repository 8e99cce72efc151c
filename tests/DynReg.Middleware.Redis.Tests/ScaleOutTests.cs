using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>
/// Two instances of one provider (two Kestrel hosts in this process, one issuer) that share only
/// Redis, as behind a load balancer.
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private const string RedirectUri = "https://app.example.com/callback";
    private readonly string _prefix = RedisTestServer.NewKeyPrefix();
    private RedisHost _a = null!;
    private RedisHost _b = null!;

    public async Task InitializeAsync()
    {
        _a = await RedisHost.StartAsync(Shared, addSigningKey: false);
        _b = await RedisHost.StartAsync(Shared, _a.Issuer, addSigningKey: false);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private void Shared(RedisStoreOptions o)
    {
        o.ConnectionMultiplexerFactory = () => Task.FromResult(RedisTestServer.Multiplexer);
        o.KeyPrefix = _prefix;
    }

    [Fact]
    public async Task Register_OnA_FoundOnB()
    {
        var (status, clientId, body) = await _a.RegisterAsync();
        status.ShouldBe(HttpStatusCode.Created, body);

        using var found = await _b.SendAsync(HttpMethod.Get, $"/api/v2/clients/{clientId}", await _b.GetManagementTokenAsync());

        found.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await found.Content.ReadAsStringAsync()).ShouldContain(clientId!);
    }

    [Fact]
    public async Task Delete_OnB_RefusedOnAWithinTheCacheDuration()
    {
        var (_, clientId, _) = await _a.RegisterAsync();
        var authorize = $"/authorize?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}&scope=openid&state=s";
        using (var before = await _a.SendAsync(HttpMethod.Get, authorize))
        {
            // Known to A (and now in A's cache): not the "unknown client" page.
            before.StatusCode.ShouldNotBe(HttpStatusCode.BadRequest);
        }

        using (var deleted = await _b.SendAsync(HttpMethod.Delete, $"/api/v2/clients/{clientId}", await _b.GetManagementTokenAsync()))
        {
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var clock = Stopwatch.StartNew();
        await Poll.UntilAsync(async () =>
        {
            using var after = await _a.SendAsync(HttpMethod.Get, authorize);
            return after.StatusCode == HttpStatusCode.BadRequest;
        }, new RedisStoreOptions().ClientCacheDuration, "A refuses the client deleted on B within the documented bound");
        clock.Elapsed.ShouldBeLessThan(new RedisStoreOptions().ClientCacheDuration);
    }

    [Fact]
    public async Task Register_2000ConcurrentOverBothInstances_2000DistinctStoredClients()
    {
        var ids = new ConcurrentBag<string>();
        var statuses = new ConcurrentBag<HttpStatusCode>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var (status, clientId, _) = await (i % 2 == 0 ? _a : _b).RegisterAsync($"client {i}");
            statuses.Add(status);
            if (clientId is not null)
            {
                ids.Add(clientId);
            }
        });

        statuses.ShouldAllBe(s => s == HttpStatusCode.Created);
        ids.Distinct().Count().ShouldBe(2000);
        var stored = new List<string>();
        for (var page = 0; ; page++)
        {
            var items = (await _b.Clients.ListAsync(page, 100, CancellationToken.None)).Items;
            if (items.Count == 0)
            {
                break;
            }

            stored.AddRange(items.Where(c => c.IsDynamicallyRegistered).Select(c => c.ClientId));
        }

        stored.Count.ShouldBe(2000);
        stored.ShouldBe(ids, ignoreOrder: true);
    }
}
