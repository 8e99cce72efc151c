using System.Collections.Concurrent;
using DynReg.Middleware.Testing.StoreContracts;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis.Tests;

public sealed class RedisProtocolStateStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly byte[] Value = [1, 2, 3, 4];

    private readonly RedisStoreOptions _options = RedisTestServer.Options();

    private RedisProtocolStateStore NewStore(IConnectionMultiplexer? multiplexer = null)
    {
        var options = _options;
        if (multiplexer is not null)
        {
            options = new RedisStoreOptions { KeyPrefix = _options.KeyPrefix, ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer) };
        }

        return new RedisProtocolStateStore(RedisTestServer.Connection(options), new RedisKeys(options.KeyPrefix));
    }

    [Fact]
    public async Task Get_AfterSet_ReturnsValueAndKeepsIt()
    {
        var store = NewStore();
        await store.SetAsync("code:a", Value, TimeSpan.FromMinutes(1), None);

        (await store.GetAsync("code:a", None)).ShouldBe(Value);
        (await store.GetAsync("code:a", None)).ShouldBe(Value);
    }

    [Fact]
    public async Task Take_Twice_FirstGetsValueSecondNull()
    {
        var store = NewStore();
        await store.SetAsync("code:a", Value, TimeSpan.FromMinutes(1), None);

        (await store.TakeAsync("code:a", None)).ShouldBe(Value);
        (await store.TakeAsync("code:a", None)).ShouldBeNull();
        (await store.GetAsync("code:a", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Take_UnknownKey_ReturnsNull()
    {
        (await NewStore().TakeAsync("code:unknown", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Take_200InParallel_ExactlyOneGetsValue()
    {
        var store = NewStore();
        await store.SetAsync("code:contested", Value, TimeSpan.FromMinutes(1), None);
        var taken = new ConcurrentBag<byte[]?>();

        await Race.AllAtOnceAsync(Enumerable.Range(0, 200), async _ => taken.Add(await store.TakeAsync("code:contested", None)));

        taken.Count.ShouldBe(200);
        taken.Count(v => v is not null).ShouldBe(1);
        taken.Single(v => v is not null).ShouldBe(Value);
    }

    [Fact]
    public async Task Take_200InParallelFromTwoInstances_ExactlyOneGetsValue()
    {
        // Two connections of their own, as two app instances have.
        using var first = await ConnectionMultiplexer.ConnectAsync(RedisTestServer.Address);
        using var second = await ConnectionMultiplexer.ConnectAsync(RedisTestServer.Address);
        var stores = new[] { NewStore(first), NewStore(second) };
        await stores[0].SetAsync("code:contested", Value, TimeSpan.FromMinutes(1), None);
        var taken = new ConcurrentBag<byte[]?>();

        await Race.AllAtOnceAsync(Enumerable.Range(0, 200), async i => taken.Add(await stores[i % 2].TakeAsync("code:contested", None)));

        taken.Count(v => v is not null).ShouldBe(1);
    }

    [Fact]
    public async Task Set_Lifetime_RedisHoldsTheExpiry()
    {
        var store = NewStore();
        await store.SetAsync("tx:timed", Value, TimeSpan.FromHours(1), None);

        // Redis itself holds the expiry (SET PX): the key's time to live is the lifetime, less the
        // moments between the two commands, which a loaded machine keeps far below a minute.
        var ttl = await RedisTestServer.Multiplexer.GetDatabase().KeyTimeToLiveAsync(_options.KeyPrefix + "state:tx:timed");
        ttl.ShouldNotBeNull();
        ttl.Value.ShouldBeLessThanOrEqualTo(TimeSpan.FromHours(1));
        ttl.Value.ShouldBeGreaterThan(TimeSpan.FromMinutes(59));
    }

    [Fact]
    public async Task Set_ShortLifetime_RedisForgetsIt()
    {
        var store = NewStore();

        // Long enough that no pause of a busy machine between the write and the first read matters.
        await store.SetAsync("tx:short", Value, TimeSpan.FromSeconds(6), None);

        await Poll.UntilAsync(async () => await store.GetAsync("tx:short", None) is null, TimeSpan.FromSeconds(60), "the value expired");
        (await store.TakeAsync("tx:short", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Set_NonPositiveLifetime_KeepsNothing()
    {
        var store = NewStore();
        await store.SetAsync("tx:gone", Value, TimeSpan.FromMinutes(1), None);

        await store.SetAsync("tx:gone", Value, TimeSpan.Zero, None);

        (await store.GetAsync("tx:gone", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Remove_SetValue_RemovesIt()
    {
        var store = NewStore();
        await store.SetAsync("tx:a", Value, TimeSpan.FromMinutes(1), None);

        await store.RemoveAsync("tx:a", None);

        (await store.GetAsync("tx:a", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Set_TwoPrefixes_DoNotSeeEachOther()
    {
        var store = NewStore();
        var other = new RedisProtocolStateStore(RedisTestServer.Connection(RedisTestServer.Options()), new RedisKeys(RedisTestServer.NewKeyPrefix()));
        await store.SetAsync("code:a", Value, TimeSpan.FromMinutes(1), None);

        (await other.GetAsync("code:a", None)).ShouldBeNull();
        (await other.TakeAsync("code:a", None)).ShouldBeNull();
        (await store.GetAsync("code:a", None)).ShouldBe(Value);
    }
}
