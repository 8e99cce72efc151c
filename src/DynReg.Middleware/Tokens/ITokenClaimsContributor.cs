namespace DynReg.Middleware.Tokens;

/// <summary>Which token a claims contributor is adding to.</summary>
public enum TokenKind
{
    /// <summary>An access token for an API (and <c>/userinfo</c>).</summary>
    AccessToken,

    /// <summary>An ID token for the client.</summary>
    IdToken,
}

/// <summary>
/// The claims hook: adds custom claims to user tokens. Only namespaced names
/// (<c>https://example.com/claim</c>, as Auth0 requires) are kept; any other name, and any
/// standard claim, is dropped with a warning.
/// </summary>
public interface ITokenClaimsContributor
{
    /// <summary>Adds claims to <see cref="TokenClaimsContext.Claims"/>.</summary>
    ValueTask ContributeAsync(TokenClaimsContext context, CancellationToken cancellationToken);
}

/// <summary>What a contributor knows about the token being made, and where it adds claims.</summary>
public sealed class TokenClaimsContext
{
    /// <summary>Which token is being made.</summary>
    public required TokenKind Kind { get; init; }

    /// <summary>The client the token is for.</summary>
    public required string ClientId { get; init; }

    /// <summary>The user (<c>sub</c>).</summary>
    public required string Subject { get; init; }

    /// <summary>The connection the user signed in through.</summary>
    public required string ConnectionName { get; init; }

    /// <summary>The granted scopes.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>The API the access token is for; null for ID tokens and userinfo-only tokens.</summary>
    public string? Audience { get; init; }

    /// <summary>Claims to add: a name and a JSON-serialisable value (string, number, bool, array, dictionary).</summary>
    public IDictionary<string, object> Claims { get; } = new Dictionary<string, object>(StringComparer.Ordinal);
}
