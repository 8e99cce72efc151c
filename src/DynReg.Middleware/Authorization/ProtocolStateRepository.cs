using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DynReg.Middleware.Stores;

namespace DynReg.Middleware.Authorization;

/// <summary>
/// The one typed layer over <see cref="IProtocolStateStore"/> that the protocol-state
/// repositories (<see cref="LoginTransactions"/>, <see cref="LoginTickets"/>,
/// <see cref="Tokens.AuthorizationCodes"/>, <see cref="Tokens.RefreshTokens"/>) share: JSON in
/// and out, and keys for credentials made from a SHA-256 of their value, so the store never
/// holds a usable code, ticket or refresh token.
/// </summary>
internal sealed class ProtocolStateRepository(IProtocolStateStore store)
{
    public IProtocolStateStore Store => store;

    /// <summary>The store key of a credential: <paramref name="kind"/> and the digest of its value.</summary>
    public static string Key(string kind, string credential)
        => kind + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));

    /// <summary>Stores <paramref name="value"/> under a new random credential of <paramref name="kind"/> and returns the credential.</summary>
    public async Task<string> CreateCredentialAsync<T>(string kind, T value, JsonTypeInfo<T> typeInfo, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var credential = Protocol.SecureRandom.Base64Url(32);
        await SetAsync(Key(kind, credential), value, typeInfo, lifetime, cancellationToken);
        return credential;
    }

    public Task SetAsync<T>(string key, T value, JsonTypeInfo<T> typeInfo, TimeSpan lifetime, CancellationToken cancellationToken)
        => store.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), lifetime, cancellationToken);

    public async Task<T?> GetAsync<T>(string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) where T : class
        => await store.GetAsync(key, cancellationToken) is { } bytes ? JsonSerializer.Deserialize(bytes, typeInfo) : null;

    /// <summary>Single use: of concurrent takes of one key, exactly one gets the value.</summary>
    public async Task<T?> TakeAsync<T>(string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) where T : class
        => await store.TakeAsync(key, cancellationToken) is { } bytes ? JsonSerializer.Deserialize(bytes, typeInfo) : null;

    /// <summary>
    /// The single-use half of replay detection: takes the credential under <paramref name="key"/>;
    /// when it is already gone, returns instead the mark its first use left under <paramref name="usedKey"/>
    /// (null when it was never issued or has expired).
    /// </summary>
    public async Task<(T? Value, string? UsedMark)> TakeOrFindUseAsync<T>(string key, string usedKey, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
        => await TakeAsync(key, typeInfo, cancellationToken) is { } value
            ? (value, null)
            : (null, await GetTextAsync(usedKey, cancellationToken));

    public Task SetTextAsync(string key, string value, TimeSpan lifetime, CancellationToken cancellationToken)
        => store.SetAsync(key, Encoding.UTF8.GetBytes(value), lifetime, cancellationToken);

    public async Task<string?> GetTextAsync(string key, CancellationToken cancellationToken)
        => await store.GetAsync(key, cancellationToken) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => store.RemoveAsync(key, cancellationToken);
}
