using System.Security.Cryptography;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware;

/// <summary>Settings of the OpenID provider this package adds to a host. Validated at start-up.</summary>
public sealed class DynamicRegistrationOptions
{
    /// <summary>
    /// The issuer, byte for byte as it appears in discovery and tokens. An absolute https URI
    /// ending in <c>/</c>, like Auth0's <c>https://TENANT.auth0.com/</c>; http only on a loopback host.
    /// Endpoint URLs are this value plus their path, so map the endpoints where the issuer's path points.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>What the tenant settings are before anyone changes them through the Management API.</summary>
    public InitialTenantSettingsOptions InitialTenantSettings { get; set; } = new();

    /// <summary>Limits and rules of <c>POST /oidc/register</c>.</summary>
    public RegistrationOptions Registration { get; set; } = new();

    /// <summary>Token signing keys and where the development key lives.</summary>
    public SigningKeyOptions SigningKeys { get; set; } = new();
}

/// <summary>Initial tenant settings; the stores start from these values.</summary>
public sealed class InitialTenantSettingsOptions
{
    /// <summary>Auth0's <c>flags.enable_dynamic_client_registration</c>. Off by default.</summary>
    public bool EnableDynamicClientRegistration { get; set; }

    /// <summary>Auth0's <c>dynamic_client_registration_security_mode</c>. <c>Permissive</c> by default.</summary>
    public DynamicClientRegistrationSecurityMode SecurityMode { get; set; } = DynamicClientRegistrationSecurityMode.Permissive;

    /// <summary>Auth0's <c>friendly_name</c>, shown on the login page.</summary>
    public string? FriendlyName { get; set; }

    internal TenantSettings ToTenantSettings() => new()
    {
        Flags = new TenantFlags { EnableDynamicClientRegistration = EnableDynamicClientRegistration },
        DynamicClientRegistrationSecurityMode = SecurityMode,
        FriendlyName = FriendlyName,
    };
}

/// <summary>Limits of open registration. Defaults follow SPEC §4 and what Auth0 and GitLab accept.</summary>
public sealed class RegistrationOptions
{
    /// <summary>Bodies larger than this get <c>413</c> without being read. Default 16 KiB.</summary>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Most redirect URIs one client may register. Default 20.</summary>
    public int MaxRedirectUris { get; set; } = 20;

    /// <summary>Longest accepted URI (redirect and informational URIs). Default 2048.</summary>
    public int MaxUriLength { get; set; } = 2048;

    /// <summary>Longest accepted <c>client_name</c> and other free text. Default 256.</summary>
    public int MaxStringLength { get; set; } = 256;

    /// <summary>Most entries in <c>contacts</c>. Default 10.</summary>
    public int MaxContacts { get; set; } = 10;

    /// <summary>
    /// Development only: lets <c>web</c> clients register <c>http://localhost</c>,
    /// <c>http://127.0.0.1</c> and <c>http://[::1]</c> redirect URIs (also with implicit),
    /// which OpenID Connect Registration §2 forbids. Off by default; a warning is logged when on.
    /// </summary>
    public bool AllowHttpLoopbackRedirectUrisForWebClients { get; set; }
}

/// <summary>
/// RS256 signing keys. The first key signs; every key is published in the JWKS, so a
/// previous key stays verifiable while its tokens live.
/// </summary>
public sealed class SigningKeyOptions
{
    /// <summary>RSA keys with private parts, current first. Filled by the builder's <c>AddSigningKey</c> methods.</summary>
    public IList<RSA> Keys { get; } = [];

    /// <summary>
    /// Development only: a PEM file holding a generated key. Created on first use and reused
    /// afterwards, so tokens survive restarts. Used only when <see cref="Keys"/> is empty.
    /// </summary>
    public string? DevelopmentKeyPath { get; set; }
}
