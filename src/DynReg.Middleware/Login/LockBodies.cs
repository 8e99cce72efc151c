using System.Text.Json.Serialization;

namespace DynReg.Middleware.Login;

// The JSONP payloads Lock reads at start-up (LOCK.md §(a) rows 3-4), member for member as
// Auth0's CDN serves them, in the spellings each Lock version reads.

/// <summary><c>Auth0.setClient({...})</c>: the client and its database connections.</summary>
internal sealed record LockClientInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("tenant")] string Tenant,
    [property: JsonPropertyName("subscription")] string Subscription,
    [property: JsonPropertyName("strategies")] IReadOnlyList<LockStrategy> Strategies);

/// <summary>One strategy of <see cref="LockClientInfo"/>.</summary>
internal sealed record LockStrategy(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("connections")] IReadOnlyList<LockClientConnection> Connections);

/// <summary>A database connection as the client file lists it: no sign-up, no reset, no policy.</summary>
internal sealed record LockClientConnection([property: JsonPropertyName("name")] string Name)
{
    [JsonPropertyName("requires_username")]
    public bool RequiresUsername => false;

    [JsonPropertyName("showSignup")]
    public bool ShowSignup => false;

    [JsonPropertyName("showForgot")]
    public bool ShowForgot => false;

    [JsonPropertyName("passwordPolicy")]
    public string PasswordPolicy => "none";
}

/// <summary><c>Auth0.setTenant({...})</c>: the tenant's domain connections.</summary>
internal sealed record LockTenantInfo([property: JsonPropertyName("connections")] LockTenantConnections Connections)
{
    [JsonPropertyName("clientsConnections")]
    public LockEmpty ClientsConnections => LockEmpty.Instance;

    [JsonPropertyName("defaultDirectory")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? DefaultDirectory => null;
}

/// <summary>The tenant's connections by kind; only database connections are served.</summary>
internal sealed record LockTenantConnections([property: JsonPropertyName("database")] IReadOnlyList<LockTenantConnection> Database)
{
    [JsonPropertyName("social")]
    public string[] Social => [];

    [JsonPropertyName("enterprise")]
    public string[] Enterprise => [];

    [JsonPropertyName("passwordless")]
    public string[] Passwordless => [];
}

/// <summary>A database connection as the tenant file lists it.</summary>
internal sealed record LockTenantConnection(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("strategy")] string Strategy)
{
    [JsonPropertyName("requiresUsername")]
    public bool RequiresUsername => false;

    // Both spellings: Lock >= 10.12 reads allow*, 10.6-10.11 show* (LOCK.md A2).
    [JsonPropertyName("allowSignup")]
    public bool AllowSignup => false;

    [JsonPropertyName("showSignup")]
    public bool ShowSignup => false;

    [JsonPropertyName("allowForgot")]
    public bool AllowForgot => false;

    [JsonPropertyName("showForgot")]
    public bool ShowForgot => false;

    [JsonPropertyName("validation")]
    public LockValidation Validation => LockValidation.None;
}

/// <summary>A connection's password rules: none here (the host's authenticator decides).</summary>
internal sealed record LockValidation([property: JsonPropertyName("passwordPolicy")] string PasswordPolicy)
{
    public static readonly LockValidation None = new("none");
}

/// <summary>An empty object.</summary>
internal sealed record LockEmpty
{
    public static readonly LockEmpty Instance = new();
}
