namespace DynReg.Middleware.Stores.Models;

/// <summary>
/// A client (Auth0: "application") as the stores keep it. The secret is only ever held as
/// a hash; the plaintext is shown once, in the answer that created it.
/// </summary>
public sealed record Client
{
    /// <summary>The client id: 32 random alphanumeric characters (with <c>tpc_</c> before them in strict mode), never changed.</summary>
    public required string ClientId { get; init; }

    /// <summary>Hash of the client secret (see <c>ClientSecrets</c>); null for public clients.</summary>
    public string? ClientSecretHash { get; init; }

    /// <summary><c>client_name</c>; shown on the login and consent pages.</summary>
    public string? ClientName { get; init; }

    /// <summary>Registered redirect URIs, verbatim: compared by exact string equality.</summary>
    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    /// <summary><c>token_endpoint_auth_method</c>: <c>client_secret_post</c>, <c>client_secret_basic</c> or <c>none</c>.</summary>
    public string TokenEndpointAuthMethod { get; init; } = "client_secret_post";

    /// <summary><c>grant_types</c> the client may use.</summary>
    public IReadOnlyList<string> GrantTypes { get; init; } = [];

    /// <summary><c>response_types</c> the client may ask <c>/authorize</c> for.</summary>
    public IReadOnlyList<string> ResponseTypes { get; init; } = [];

    /// <summary><c>application_type</c>: <c>web</c> or <c>native</c>.</summary>
    public string ApplicationType { get; init; } = "web";

    /// <summary><c>client_uri</c>, self-asserted.</summary>
    public string? ClientUri { get; init; }

    /// <summary><c>logo_uri</c>, self-asserted.</summary>
    public string? LogoUri { get; init; }

    /// <summary><c>policy_uri</c>, self-asserted.</summary>
    public string? PolicyUri { get; init; }

    /// <summary><c>tos_uri</c>, self-asserted.</summary>
    public string? TosUri { get; init; }

    /// <summary><c>contacts</c>: e-mail addresses.</summary>
    public IReadOnlyList<string> Contacts { get; init; } = [];

    /// <summary>False for every dynamically registered client (Auth0: third-party application).</summary>
    public bool IsFirstParty { get; init; }

    /// <summary>True when the client came from <c>POST /oidc/register</c>.</summary>
    public bool IsDynamicallyRegistered { get; init; }

    /// <summary>Security mode the tenant had when the client registered; strict clients always need PKCE.</summary>
    public DynamicClientRegistrationSecurityMode? RegistrationSecurityMode { get; init; }

    /// <summary>Auth0's client grants: the APIs and scopes <c>client_credentials</c> may get.</summary>
    public IReadOnlyList<ClientGrant> ClientGrants { get; init; } = [];

    /// <summary>
    /// RFC 7591 §2 <c>scope</c>: when set, the only scopes <c>/authorize</c> grants this client
    /// (space-separated). Null: any scope of the tenant's APIs.
    /// </summary>
    public string? Scope { get; init; }

    /// <summary>
    /// A disabled client is refused at <c>/authorize</c> (error page) and <c>/oauth/token</c>
    /// (<c>invalid_client</c>); the tenant owner enables it through the Management API (<c>is_disabled</c>).
    /// </summary>
    public bool IsDisabled { get; init; }

    /// <summary>When the client was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the client last changed; null if never.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>
    /// When the client last got a token or an authorization response (to within
    /// <c>ClientUsage.Resolution</c>); null while it was never used.
    /// </summary>
    public DateTimeOffset? LastUsedAt { get; init; }
}

/// <summary>An API (by its identifier) and the scopes a client may get for it.</summary>
public sealed record ClientGrant(string Audience, IReadOnlyList<string> Scopes);
