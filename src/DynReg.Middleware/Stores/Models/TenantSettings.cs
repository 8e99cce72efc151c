namespace DynReg.Middleware.Stores.Models;

/// <summary>The tenant-wide settings the middleware reads (Auth0: <c>/api/v2/tenants/settings</c>).</summary>
public sealed record TenantSettings
{
    /// <summary>Auth0's <c>flags</c>.</summary>
    public TenantFlags Flags { get; init; } = new();

    /// <summary>Auth0's <c>dynamic_client_registration_security_mode</c>: what dynamically registered clients may do.</summary>
    public DynamicClientRegistrationSecurityMode DynamicClientRegistrationSecurityMode { get; init; }
        = DynamicClientRegistrationSecurityMode.Permissive;

    /// <summary>Auth0's <c>friendly_name</c>, shown on the login page.</summary>
    public string? FriendlyName { get; init; }
}

/// <summary>Auth0's <c>flags</c> object, limited to the flags this package acts on.</summary>
public sealed record TenantFlags
{
    /// <summary>Open registration at <c>POST /oidc/register</c>; off by default, as on Auth0.</summary>
    public bool EnableDynamicClientRegistration { get; init; }
}
