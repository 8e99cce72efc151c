using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace DynReg.Middleware.Stores.InMemory;

/// <summary>Consents in memory.</summary>
public sealed class InMemoryConsentStore : IConsentStore
{
    private readonly ConcurrentDictionary<(string Subject, string ClientId, string Audience), ImmutableHashSet<string>> _consents = new();

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> GetGrantedScopesAsync(string subject, string clientId, string audience, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlySet<string>>(_consents.TryGetValue((subject, clientId, audience), out var scopes) ? scopes : ImmutableHashSet<string>.Empty);

    /// <inheritdoc />
    public Task GrantAsync(string subject, string clientId, string audience, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        var added = scopes.ToImmutableHashSet(StringComparer.Ordinal);
        _consents.AddOrUpdate((subject, clientId, audience), added, (_, existing) => existing.Union(added));
        return Task.CompletedTask;
    }
}
