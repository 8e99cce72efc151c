using System.Collections.Concurrent;

namespace DynReg.Middleware.Stores.InMemory;

/// <summary>Protocol state in memory; expired entries are dropped when read and swept now and then.</summary>
internal sealed class InMemoryProtocolStateStore(TimeProvider time) : IProtocolStateStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _writes;

    /// <inheritdoc />
    public Task SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _entries[key] = new Entry(value.ToArray(), now + lifetime);

        // Sweep every 1,024 writes so abandoned transactions do not pile up.
        if (Interlocked.Increment(ref _writes) % 1024 == 0)
        {
            foreach (var (staleKey, entry) in _entries)
            {
                if (entry.ExpiresAt <= now)
                {
                    _entries.TryRemove(new KeyValuePair<string, Entry>(staleKey, entry));
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
        => Task.FromResult(_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow() ? entry.Value : null);

    /// <inheritdoc />
    public Task<byte[]?> TakeAsync(string key, CancellationToken cancellationToken)
        => Task.FromResult(_entries.TryRemove(key, out var entry) && entry.ExpiresAt > time.GetUtcNow() ? entry.Value : null);

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        _entries.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private sealed record Entry(byte[] Value, DateTimeOffset ExpiresAt);
}
