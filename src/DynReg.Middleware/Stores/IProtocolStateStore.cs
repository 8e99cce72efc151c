namespace DynReg.Middleware.Stores;

/// <summary>
/// Short-lived protocol state: login transactions, login tickets, authorization codes,
/// refresh tokens. Values are opaque bytes with an expiry. <see cref="TakeAsync"/> is the
/// single-use read: of any number of concurrent calls for one key, exactly one gets the value
/// (RFC 6749 §4.1.2: a code is used once), across every instance that shares the store.
/// </summary>
public interface IProtocolStateStore
{
    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> until <paramref name="lifetime"/> passes.</summary>
    Task SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>The value, or null when absent or expired. Does not consume it.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes and returns the value atomically; null when absent, expired or already taken.</summary>
    Task<byte[]?> TakeAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the value, if any.</summary>
    Task RemoveAsync(string key, CancellationToken cancellationToken);
}
