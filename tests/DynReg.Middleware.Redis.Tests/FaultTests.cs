using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>
/// Redis goes away and comes back: each test starts a redis-server of its own (and stops only that one).
/// Answers are 201 or 503, never anything else; nothing is half-written; no restart is needed.
/// </summary>
public sealed class FaultTests
{
    /// <summary>
    /// Timeouts short enough that an outage is answered within seconds, long enough that a busy
    /// machine's pauses never make a live server look down.
    /// </summary>
    private static Action<RedisStoreOptions> Redis(RedisProcess redis, string prefix) => o =>
    {
        o.Configuration = redis.Address + ",abortConnect=false,connectTimeout=5000,asyncTimeout=5000,syncTimeout=5000";
        o.KeyPrefix = prefix;
    };

    [Fact]
    public async Task Endpoints_RedisStopped_Answer503JsonThenRecoverWhenItIsBack()
    {
        using var redis = RedisProcess.Start();
        await using var host = await RedisHost.StartAsync(Redis(redis, "fault:"));
        (await host.RegisterAsync()).Status.ShouldBe(HttpStatusCode.Created);
        var token = await host.GetManagementTokenAsync();

        redis.Kill();

        var (status, _, body) = await host.RegisterAsync();
        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        using (var json = JsonDocument.Parse(body))
        {
            json.RootElement.GetProperty("error").GetString().ShouldBe("temporarily_unavailable");
            json.RootElement.GetProperty("error_description").GetString().ShouldNotBeNullOrWhiteSpace();
        }

        using (var management = await host.SendAsync(HttpMethod.Get, "/api/v2/clients", token))
        {
            management.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            management.Headers.CacheControl!.NoStore.ShouldBeTrue();
            management.Headers.RetryAfter.ShouldNotBeNull();
            using var json = JsonDocument.Parse(await management.Content.ReadAsStringAsync());
            json.RootElement.GetProperty("statusCode").GetInt32().ShouldBe(503);
            json.RootElement.GetProperty("errorCode").GetString().ShouldBe("temporarily_unavailable");
        }

        redis.Start();

        await Poll.UntilAsync(async () => (await host.RegisterAsync()).Status == HttpStatusCode.Created, TimeSpan.FromSeconds(30), "registration works again");
    }

    [Fact]
    public async Task Registrations_RedisKilledUnderLoad_Every201KeptNothingHalfWritten()
    {
        const int Workers = 8;
        const int MaxRequests = 5_000;
        using var redis = RedisProcess.Start(durable: true);
        await using var host = await RedisHost.StartAsync(Redis(redis, "load:"));
        var answers = new ConcurrentQueue<(HttpStatusCode Status, string? ClientId, bool AfterRestart)>();
        var restarted = 0;
        var requests = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var load = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref requests) <= MaxRequests)
            {
                var after = Volatile.Read(ref restarted) == 1;
                var (status, clientId, _) = await host.RegisterAsync();
                answers.Enqueue((status, clientId, after));
            }
        })).ToArray();

        await Poll.UntilAsync(() => Task.FromResult(answers.Count(a => a.Status == HttpStatusCode.Created) >= 50), TimeSpan.FromSeconds(30), "registrations under load");
        redis.Kill();
        await Poll.UntilAsync(() => Task.FromResult(answers.Count(a => a.Status == HttpStatusCode.ServiceUnavailable) >= Workers), TimeSpan.FromSeconds(30), "503s while Redis is down");
        redis.Start();
        Volatile.Write(ref restarted, 1);
        await Poll.UntilAsync(() => Task.FromResult(answers.Count(a => a.AfterRestart && a.Status == HttpStatusCode.Created) >= 50), TimeSpan.FromSeconds(30), "registrations after Redis is back");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        answers.Select(a => a.Status).Distinct().ShouldBe([HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable], ignoreOrder: true);
        var created = answers.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.ClientId!).ToArray();
        foreach (var clientId in created)
        {
            (await host.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldNotBeNull($"client {clientId} was answered 201");
        }

        // Nothing half-written: the creation index and the records name exactly the same clients.
        using var check = await ConnectionMultiplexer.ConnectAsync(redis.Address);
        var db = check.GetDatabase();
        var indexed = (await db.SortedSetRangeByRankAsync("load:clients:order")).Select(v => v.ToString()).ToHashSet();
        var records = check.GetServers()[0].Keys(pattern: "load:clients:record:*").Select(k => k.ToString()["load:clients:record:".Length..]).ToHashSet();
        records.SetEquals(indexed).ShouldBeTrue($"{records.Count} records, {indexed.Count} indexed");
        indexed.IsSupersetOf(created).ShouldBeTrue();
    }
}
