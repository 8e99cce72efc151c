using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>The read-through client cache: shared invalidation across instances and its time bound.</summary>
public sealed class CachingClientStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly string _prefix = RedisTestServer.NewKeyPrefix();
    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
    }

    /// <summary>One app instance: a connection of its own, the Redis store and the cache in front of it.</summary>
    private (CachingClientStore Cached, RedisClientStore Raw) NewInstance(TimeSpan cacheDuration, TimeProvider? time = null)
    {
        var multiplexer = ConnectionMultiplexer.Connect(RedisTestServer.Address);
        _disposables.Add(multiplexer);
        var options = new RedisStoreOptions
        {
            KeyPrefix = _prefix,
            ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(multiplexer),
            ClientCacheDuration = cacheDuration,
        };
        var connection = RedisTestServer.Connection(options);
        var keys = new RedisKeys(_prefix);
        var raw = new RedisClientStore(connection, keys);
        var cached = new CachingClientStore(raw, connection, keys, Options.Create(options), time ?? TimeProvider.System);
        _disposables.Add(cached);
        return (cached, raw);
    }

    private static Client NewClient() => new() { ClientId = "client_" + Guid.NewGuid().ToString("N"), ClientName = "before", CreatedAt = DateTimeOffset.UnixEpoch };

    [Fact]
    public async Task Delete_OnOtherInstance_RefusedHereLongBeforeTheCacheExpires()
    {
        // A cache that would keep the client for 5 minutes: only the announcement can drop it in time.
        var a = NewInstance(TimeSpan.FromMinutes(5));
        var b = NewInstance(TimeSpan.FromMinutes(5));
        var client = NewClient();
        await a.Cached.CreateAsync(client, None);
        (await a.Cached.FindByIdAsync(client.ClientId, None)).ShouldNotBeNull();

        (await b.Cached.DeleteAsync(client.ClientId, None)).ShouldBeTrue();

        await Poll.UntilAsync(async () => await a.Cached.FindByIdAsync(client.ClientId, None) is null, TimeSpan.FromSeconds(30), "instance A refuses the deleted client");
    }

    [Fact]
    public async Task Update_OnOtherInstance_SeenHereLongBeforeTheCacheExpires()
    {
        var a = NewInstance(TimeSpan.FromMinutes(5));
        var b = NewInstance(TimeSpan.FromMinutes(5));
        var client = NewClient();
        await a.Cached.CreateAsync(client, None);
        (await a.Cached.FindByIdAsync(client.ClientId, None))!.ClientName.ShouldBe("before");

        (await b.Cached.UpdateAsync(client.ClientId, c => c with { ClientName = "after" }, None)).Succeeded.ShouldBeTrue();

        await Poll.UntilAsync(async () => (await a.Cached.FindByIdAsync(client.ClientId, None))?.ClientName == "after", TimeSpan.FromSeconds(30), "instance A sees the update");
    }

    [Fact]
    public async Task Delete_Unannounced_ServedFromCacheUntilTheDurationPasses()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var a = NewInstance(TimeSpan.FromSeconds(5), time);
        var client = NewClient();
        await a.Cached.CreateAsync(client, None);
        (await a.Cached.FindByIdAsync(client.ClientId, None)).ShouldNotBeNull();

        // Deleted behind the cache's back: no announcement, as when an instance missed it.
        (await a.Raw.DeleteAsync(client.ClientId, None)).ShouldBeTrue();
        time.Advance(TimeSpan.FromSeconds(4.9));
        (await a.Cached.FindByIdAsync(client.ClientId, None)).ShouldNotBeNull("within the cache duration the cached record still answers");

        time.Advance(TimeSpan.FromSeconds(0.2));
        (await a.Cached.FindByIdAsync(client.ClientId, None)).ShouldBeNull("past the cache duration the deletion is seen");
    }

    [Fact]
    public async Task Find_CacheDurationZero_AlwaysReadsRedis()
    {
        var a = NewInstance(TimeSpan.Zero);
        var client = NewClient();
        await a.Cached.CreateAsync(client, None);
        (await a.Cached.FindByIdAsync(client.ClientId, None)).ShouldNotBeNull();

        await a.Raw.DeleteAsync(client.ClientId, None);

        (await a.Cached.FindByIdAsync(client.ClientId, None)).ShouldBeNull();
    }

    [Fact]
    public async Task Find_UnknownThenCreatedElsewhere_FoundAtOnce()
    {
        var a = NewInstance(TimeSpan.FromMinutes(5));
        var b = NewInstance(TimeSpan.FromMinutes(5));
        var client = NewClient();
        (await a.Cached.FindByIdAsync(client.ClientId, None)).ShouldBeNull();

        await b.Cached.CreateAsync(client, None);

        (await a.Cached.FindByIdAsync(client.ClientId, None)).ShouldNotBeNull("a miss is never cached");
    }
}
