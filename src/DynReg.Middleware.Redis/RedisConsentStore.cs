using DynReg.Middleware.Stores;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>Consents as one Redis set per subject, client and audience; a grant is SADD, a union by nature.</summary>
internal sealed class RedisConsentStore(RedisConnection redis, RedisKeys keys) : IConsentStore
{
    public async Task<IReadOnlySet<string>> GetGrantedScopesAsync(string subject, string clientId, string audience, CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var members = await db.SetMembersAsync(keys.Consent(subject, clientId, audience));
            return members.Select(m => (string)m!).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task GrantAsync(string subject, string clientId, string audience, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        RedisValue[] added = [.. scopes.Distinct(StringComparer.Ordinal).Select(s => (RedisValue)s)];
        if (added.Length == 0)
        {
            return;
        }

        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            await db.SetAddAsync(keys.Consent(subject, clientId, audience), added);
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }
}
