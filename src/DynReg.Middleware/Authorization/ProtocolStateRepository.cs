using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace DynReg.Middleware.Authorization;

/// <summary>
/// Typed access to the protocol state: login transactions through the package's
/// <see cref="IDistributedCache"/>, single-use state through <see cref="IProtocolStateStore"/>. Codes, tickets and refresh tokens are
/// stored under a SHA-256 of their value, so the store never holds a usable credential.
/// </summary>
internal sealed class ProtocolStateRepository(
    IProtocolStateStore store,
    [FromKeyedServices(LoginTransactionCache.ServiceKey)] IDistributedCache transactions)
{
    public static readonly TimeSpan TransactionLifetime = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(5);

    /// <summary>RFC 6749 §4.1.2 recommends at most 10 minutes.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    // Login transactions: plain set/get/remove with an expiry, through the package's IDistributedCache.
    public Task SaveTransactionAsync(LoginTransaction transaction, CancellationToken cancellationToken)
        => transactions.SetAsync("tx:" + transaction.Id, JsonSerializer.SerializeToUtf8Bytes(transaction, DynRegJsonContext.Default.LoginTransaction),
            new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TransactionLifetime }, cancellationToken);

    public async Task<LoginTransaction?> FindTransactionAsync(string id, CancellationToken cancellationToken)
        => await transactions.GetAsync("tx:" + id, cancellationToken) is { } bytes
            ? JsonSerializer.Deserialize(bytes, DynRegJsonContext.Default.LoginTransaction)
            : null;

    public Task RemoveTransactionAsync(string id, CancellationToken cancellationToken) => transactions.RemoveAsync("tx:" + id, cancellationToken);

    public async Task<string> CreateTicketAsync(LoginTicket ticket, CancellationToken cancellationToken)
    {
        var value = SecureRandom.Base64Url(32);
        await SetAsync("ticket:" + Digest(value), ticket, DynRegJsonContext.Default.LoginTicket, TicketLifetime, cancellationToken);
        return value;
    }

    public Task<LoginTicket?> RedeemTicketAsync(string value, CancellationToken cancellationToken)
        => TakeAsync("ticket:" + Digest(value), DynRegJsonContext.Default.LoginTicket, cancellationToken);

    public async Task<string> CreateCodeAsync(AuthorizationCodeGrant grant, CancellationToken cancellationToken)
    {
        var code = SecureRandom.Base64Url(32);
        await SetAsync("code:" + Digest(code), grant, DynRegJsonContext.Default.AuthorizationCodeGrant, CodeLifetime, cancellationToken);
        return code;
    }

    /// <summary>Single use: of concurrent redemptions of one code, exactly one gets the grant.</summary>
    public Task<AuthorizationCodeGrant?> RedeemCodeAsync(string code, CancellationToken cancellationToken)
        => TakeAsync("code:" + Digest(code), DynRegJsonContext.Default.AuthorizationCodeGrant, cancellationToken);

    /// <summary>Remembers that a code was redeemed and which refresh-token family it started, to act on a replay (RFC 6749 §10.5).</summary>
    public Task MarkCodeRedeemedAsync(string code, string? familyId, CancellationToken cancellationToken)
        => store.SetAsync("code-used:" + Digest(code), Encoding.UTF8.GetBytes(familyId ?? string.Empty), CodeLifetime + CodeLifetime, cancellationToken);

    public async Task<(bool Replayed, string? FamilyId)> FindRedeemedCodeAsync(string code, CancellationToken cancellationToken)
    {
        var value = await store.GetAsync("code-used:" + Digest(code), cancellationToken);
        return value is null ? (false, null) : (true, value.Length == 0 ? null : Encoding.UTF8.GetString(value));
    }

    public async Task<string> CreateRefreshTokenAsync(RefreshTokenGrant grant, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var token = SecureRandom.Base64Url(32);
        await SetAsync("rt:" + Digest(token), grant, DynRegJsonContext.Default.RefreshTokenGrant, lifetime, cancellationToken);
        return token;
    }

    public Task<RefreshTokenGrant?> RedeemRefreshTokenAsync(string token, CancellationToken cancellationToken)
        => TakeAsync("rt:" + Digest(token), DynRegJsonContext.Default.RefreshTokenGrant, cancellationToken);

    public Task MarkRefreshTokenUsedAsync(string token, string familyId, TimeSpan lifetime, CancellationToken cancellationToken)
        => store.SetAsync("rt-used:" + Digest(token), Encoding.UTF8.GetBytes(familyId), lifetime, cancellationToken);

    public async Task<string?> FindUsedRefreshTokenFamilyAsync(string token, CancellationToken cancellationToken)
        => await store.GetAsync("rt-used:" + Digest(token), cancellationToken) is { } family ? Encoding.UTF8.GetString(family) : null;

    public Task RevokeFamilyAsync(string familyId, TimeSpan lifetime, CancellationToken cancellationToken)
        => store.SetAsync("rt-revoked:" + familyId, new byte[] { 1 }, lifetime, cancellationToken);

    public async Task<bool> IsFamilyRevokedAsync(string familyId, CancellationToken cancellationToken)
        => await store.GetAsync("rt-revoked:" + familyId, cancellationToken) is not null;

    private static string Digest(string value) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private Task SetAsync<T>(string key, T value, JsonTypeInfo<T> typeInfo, TimeSpan lifetime, CancellationToken cancellationToken)
        => store.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), lifetime, cancellationToken);

    private async Task<T?> GetAsync<T>(string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) where T : class
        => await store.GetAsync(key, cancellationToken) is { } bytes ? JsonSerializer.Deserialize(bytes, typeInfo) : null;

    private async Task<T?> TakeAsync<T>(string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) where T : class
        => await store.TakeAsync(key, cancellationToken) is { } bytes ? JsonSerializer.Deserialize(bytes, typeInfo) : null;
}
