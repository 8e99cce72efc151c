using System.Collections.Concurrent;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>
/// A read-through cache in front of the client store for the hot paths (<c>/authorize</c>,
/// <c>/oauth/token</c>), added as a decorator. An update or delete drops the entry here and is
/// announced on a Redis channel, so every other instance drops it too, typically within
/// milliseconds. An instance that misses an announcement (its connection dropped) still drops the
/// entry when it expires, and clears its whole cache when the connection comes back: so an updated
/// client is seen, and a deleted one refused, on every instance within
/// <see cref="RedisStoreOptions.ClientCacheDuration"/> (5 seconds by default).
/// Only found clients are cached: a new client is found everywhere at once.
/// </summary>
internal sealed class CachingClientStore : IClientStore, IDisposable
{
    private readonly IClientStore _inner;
    private readonly RedisConnection _redis;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _duration;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _subscribeLock = new();
    private Task? _subscription;
    private long _generation;

    public CachingClientStore(
        IClientStore inner,
        RedisConnection redis,
        RedisKeys keys,
        IOptions<RedisStoreOptions> options,
        TimeProvider time,
        ILogger<CachingClientStore>? logger = null)
    {
        _inner = inner;
        _redis = redis;
        _keys = keys;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _duration = options.Value.ClientCacheDuration;
        _capacity = options.Value.ClientCacheSize;
        _redis.Failed += OnConnectionChanged;
        _redis.Restored += OnConnectionChanged;
    }

    private bool Enabled => _duration > TimeSpan.Zero;

    public Task<StoreWriteResult<Client>> CreateAsync(Client client, CancellationToken cancellationToken)
        => _inner.CreateAsync(client, cancellationToken);

    public async Task<Client?> FindByIdAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return await _inner.FindByIdAsync(clientId, cancellationToken);
        }

        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(clientId, out var entry) && entry.ExpiresAt > now)
        {
            return entry.Client;
        }

        var subscribed = await EnsureSubscribedAsync();
        var generation = Interlocked.Read(ref _generation);
        var client = await _inner.FindByIdAsync(clientId, cancellationToken);

        // Not cached when a change was announced while reading: what was read may be older than it.
        if (client is not null && subscribed && Interlocked.Read(ref _generation) == generation && HasRoom(now))
        {
            _entries[clientId] = new Entry(client, now + _duration);
        }

        return client;
    }

    public Task<StorePage<Client>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
        => _inner.ListAsync(page, perPage, cancellationToken);

    public Task<int> CountDynamicClientsAsync(CancellationToken cancellationToken)
        => _inner.CountDynamicClientsAsync(cancellationToken);

    public async Task<StoreWriteResult<Client>> UpdateAsync(string clientId, Func<Client, Client> update, CancellationToken cancellationToken)
    {
        var result = await _inner.UpdateAsync(clientId, update, cancellationToken);
        if (result.Succeeded)
        {
            await AnnounceAsync(clientId);
        }

        return result;
    }

    public async Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        var deleted = await _inner.DeleteAsync(clientId, cancellationToken);
        if (deleted)
        {
            await AnnounceAsync(clientId);
        }

        return deleted;
    }

    public void Dispose()
    {
        _redis.Failed -= OnConnectionChanged;
        _redis.Restored -= OnConnectionChanged;
    }

    private void Forget(string clientId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(clientId, out _);
    }

    private void OnConnectionChanged(object? sender, EventArgs e)
    {
        // Announcements may have been missed while the connection was down.
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    // The write is done and durable: a failed announcement must not turn it into an error.
    private async Task AnnounceAsync(string clientId)
    {
        Forget(clientId);
        if (!Enabled)
        {
            return;
        }

        try
        {
            var subscriber = (await _redis.GetMultiplexerAsync()).GetSubscriber();
            await subscriber.PublishAsync(_keys.ClientChanged, clientId);
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception) || exception is StoreUnavailableException)
        {
            Log.ClientChangePublishFailed(_logger, _duration, exception);
        }
    }

    /// <summary>Subscribes once; until that succeeded nothing is cached, so nothing can go stale unannounced.</summary>
    private async Task<bool> EnsureSubscribedAsync()
    {
        Task subscription;
        lock (_subscribeLock)
        {
            subscription = _subscription ??= SubscribeAsync();
        }

        try
        {
            await subscription;
            return true;
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception) || exception is StoreUnavailableException)
        {
            lock (_subscribeLock)
            {
                if (ReferenceEquals(_subscription, subscription))
                {
                    _subscription = null;
                }
            }

            Log.ClientChangeSubscribeFailed(_logger, exception);
            return false;
        }
    }

    private async Task SubscribeAsync()
    {
        var subscriber = (await _redis.GetMultiplexerAsync()).GetSubscriber();
        await subscriber.SubscribeAsync(_keys.ClientChanged, (_, message) =>
        {
            if (!message.IsNullOrEmpty)
            {
                Forget(message!);
            }
        });
    }

    private bool HasRoom(DateTimeOffset now)
    {
        if (_entries.Count < _capacity)
        {
            return true;
        }

        foreach (var (clientId, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(clientId, entry));
            }
        }

        return _entries.Count < _capacity;
    }

    private sealed record Entry(Client Client, DateTimeOffset ExpiresAt);
}
