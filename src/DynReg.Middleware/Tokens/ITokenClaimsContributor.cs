namespace DynReg.Middleware.Tokens;

/// <summary>Which token a claims contributor is adding to.</summary>
public enum TokenKind
{
    AccessToken,
    IdToken,
}

/// <summary>
/// The claims hook: adds custom claims to user tokens. Only namespaced names
/// (<c>https://example.com/claim</c>, as Auth0 requires) are kept; any other name, and any
/// standard claim, is dropped with a warning.
/// </summary>
public interface ITokenClaimsContributor
{
    ValueTask ContributeAsync(TokenClaimsContext context, CancellationToken cancellationToken);
}

/// <summary>What a contributor knows about the token being made, and where it adds claims.</summary>
public sealed class TokenClaimsContext
{
    public required TokenKind Kind { get; init; }

    public required string ClientId { get; init; }

    public required string Subject { get; init; }

    public required string ConnectionName { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public string? Audience { get; init; }

    /// <summary>Claims to add: a name and a JSON-serialisable value (string, number, bool, array, dictionary).</summary>
    public IDictionary<string, object> Claims { get; } = new Dictionary<string, object>(StringComparer.Ordinal);
}
