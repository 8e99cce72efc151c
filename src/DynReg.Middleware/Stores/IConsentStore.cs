namespace DynReg.Middleware.Stores;

/// <summary>
/// What each user has consented to per client (third-party clients ask once per client,
/// Auth0's user consent). Scopes are remembered per audience.
/// </summary>
public interface IConsentStore
{
    /// <summary>The scopes <paramref name="subject"/> granted <paramref name="clientId"/> for <paramref name="audience"/> (empty when none).</summary>
    Task<IReadOnlySet<string>> GetGrantedScopesAsync(string subject, string clientId, string audience, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="scopes"/> to what was granted (a union, atomically).</summary>
    Task GrantAsync(string subject, string clientId, string audience, IEnumerable<string> scopes, CancellationToken cancellationToken);
}
