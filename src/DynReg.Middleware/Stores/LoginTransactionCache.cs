using Microsoft.Extensions.Caching.Distributed;

namespace DynReg.Middleware.Stores;

/// <summary>
/// Login transactions only need set, get and remove with an expiry, so they go through an
/// <see cref="IDistributedCache"/>: a keyed service of the package's own (never the host's
/// unkeyed cache). By default it is this adapter over <see cref="IProtocolStateStore"/>; the
/// Redis package puts Microsoft's Redis cache in its place. Single-use state (codes, tickets,
/// refresh tokens) stays on <see cref="IProtocolStateStore.TakeAsync"/>, which is atomic.
/// </summary>
public sealed class LoginTransactionCache(IProtocolStateStore store, TimeProvider time) : IDistributedCache
{
    /// <summary>The service key of the package's <see cref="IDistributedCache"/> for login transactions.</summary>
    public const string ServiceKey = "DynReg.LoginTransactions";

    /// <inheritdoc />
    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => store.GetAsync(key, token);

    /// <inheritdoc />
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    /// <inheritdoc />
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        => store.SetAsync(key, value, Lifetime(options), token);

    /// <inheritdoc />
    public void Refresh(string key)
    {
        // Absolute expiry only: nothing slides.
    }

    /// <inheritdoc />
    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    /// <inheritdoc />
    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken token = default) => store.RemoveAsync(key, token);

    private TimeSpan Lifetime(DistributedCacheEntryOptions options)
        => options.AbsoluteExpirationRelativeToNow
            ?? (options.AbsoluteExpiration is { } at ? at - time.GetUtcNow() : (TimeSpan?)null)
            ?? options.SlidingExpiration
            ?? throw new ArgumentException("Login transactions need an expiry.", nameof(options));
}
