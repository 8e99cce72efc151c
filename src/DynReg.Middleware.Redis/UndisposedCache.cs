using Microsoft.Extensions.Caching.Distributed;

namespace DynReg.Middleware.Redis;

/// <summary>
/// Hands the container an <see cref="IDistributedCache"/> it will not dispose: disposing
/// Microsoft's RedisCache closes the multiplexer, which here is shared with the stores (and may
/// be the host's own).
/// </summary>
internal sealed class UndisposedCache(IDistributedCache inner) : IDistributedCache
{
    public byte[]? Get(string key) => inner.Get(key);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => inner.Set(key, value, options);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        => inner.SetAsync(key, value, options, token);

    public void Refresh(string key) => inner.Refresh(key);

    public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

    public void Remove(string key) => inner.Remove(key);

    public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);
}
