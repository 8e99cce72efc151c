using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.InMemory;
using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.DependencyInjection;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>
/// The store chain is composed from what the builder recorded, whatever the order of the calls: a
/// host store chosen before or after <c>AddRedisStores</c> sits behind the Redis client cache.
/// </summary>
public sealed class StoreCompositionTests
{
    [Theory]
    [InlineData("host store last", 1)]

    // The last choice of a slot's store wins, as for any builder call; the cache stays either way.
    [InlineData("host store first", 0)]
    public async Task AddClientStore_BeforeOrAfterAddRedisStores_KeepsTheClientCache(string order, int findsReachingTheHostStore)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<FindCounter>();
        var builder = services.AddDynamicClientRegistration(o => o.Issuer = new Uri("https://login.example.com/"));
        if (order == "host store first")
        {
            builder.AddClientStore<CountingClientStore>();
        }

        builder.AddRedisStores(o =>
        {
            o.ConnectionMultiplexerFactory = () => Task.FromResult(RedisTestServer.Multiplexer);
            o.KeyPrefix = RedisTestServer.NewKeyPrefix();
            o.ClientCacheDuration = TimeSpan.FromMinutes(5);
        });
        if (order == "host store last")
        {
            builder.AddClientStore<CountingClientStore>();
        }

        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IClientStore>();
        var client = NewClient();
        (await store.CreateAsync(client, CancellationToken.None)).Status.ShouldBe(StoreWriteStatus.Succeeded);

        (await store.FindByIdAsync(client.ClientId, CancellationToken.None))!.ClientId.ShouldBe(client.ClientId);
        (await store.FindByIdAsync(client.ClientId, CancellationToken.None))!.ClientId.ShouldBe(client.ClientId);

        // The second read was answered by the cache in front of the chosen store.
        provider.GetRequiredService<FindCounter>().Finds.ShouldBe(findsReachingTheHostStore);
        TimedStores.Undecorated(store).ShouldBeOfType<CachingClientStore>();
    }

    [Fact]
    public async Task AddRedisStores_ThenAHostStore_OtherSlotsStayRedis()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<FindCounter>();
        services.AddDynamicClientRegistration(o => o.Issuer = new Uri("https://login.example.com/"))
            .AddRedisStores(o =>
            {
                o.ConnectionMultiplexerFactory = () => Task.FromResult(RedisTestServer.Multiplexer);
                o.KeyPrefix = RedisTestServer.NewKeyPrefix();
            })
            .AddClientStore<CountingClientStore>();

        await using var provider = services.BuildServiceProvider();

        TimedStores.Undecorated(provider.GetRequiredService<IConnectionStore>()).ShouldBeOfType<RedisConnectionStore>();
        provider.GetRequiredService<IProtocolStateStore>().ShouldBeOfType<RedisProtocolStateStore>();
        provider.GetRequiredService<IConsentStore>().ShouldBeOfType<RedisConsentStore>();
    }

    private static Client NewClient() => new()
    {
        ClientId = "client_" + Guid.NewGuid().ToString("N"),
        ClientName = "Composed",
        RedirectUris = ["https://app.example.com/callback"],
        TokenEndpointAuthMethod = "none",
        GrantTypes = ["authorization_code"],
        ResponseTypes = ["code"],
        ApplicationType = "web",
        CreatedAt = DateTimeOffset.UtcNow,
    };

    public sealed class FindCounter
    {
        private int _finds;

        public int Finds => Volatile.Read(ref _finds);

        public void Count() => Interlocked.Increment(ref _finds);
    }

    /// <summary>A host's own client store: the in-memory one, counting the reads that reach it.</summary>
    public sealed class CountingClientStore(FindCounter counter) : IClientStore
    {
        private readonly InMemoryClientStore _inner = new();

        public Task<StoreWriteResult<Client>> CreateAsync(Client client, CancellationToken cancellationToken) => _inner.CreateAsync(client, cancellationToken);

        public Task<Client?> FindByIdAsync(string clientId, CancellationToken cancellationToken)
        {
            counter.Count();
            return _inner.FindByIdAsync(clientId, cancellationToken);
        }

        public Task<StorePage<Client>> ListAsync(int page, int perPage, CancellationToken cancellationToken) => _inner.ListAsync(page, perPage, cancellationToken);

        public Task<StoreWriteResult<Client>> UpdateAsync(string clientId, Func<Client, Client> update, CancellationToken cancellationToken)
            => _inner.UpdateAsync(clientId, update, cancellationToken);

        public Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken) => _inner.DeleteAsync(clientId, cancellationToken);
    }
}
