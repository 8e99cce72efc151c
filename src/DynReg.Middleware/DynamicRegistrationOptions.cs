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

    /// <summary>
    /// The host's APIs (Auth0: resource servers) that clients may get access tokens for.
    /// The Management API (<c>{issuer}api/v2/</c>) is always there and need not be listed.
    /// </summary>
    public IList<ApiResourceOptions> Apis { get; set; } = [];

    /// <summary>
    /// First-party clients the host declares, such as the machine-to-machine client that
    /// calls the Management API. Created at start-up when absent; their secrets are hashed.
    /// </summary>
    public IList<FirstPartyClientOptions> Clients { get; set; } = [];

    /// <summary>Lifetime of access tokens from <c>/oauth/token</c>. Default 24 hours, as on Auth0.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Lifetime of ID tokens. Default 10 hours, as on Auth0.</summary>
    public TimeSpan IdTokenLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>Lifetime of refresh tokens (each rotation starts a new one). Default 30 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a sign-in lasts before the user must sign in again. Default 3 days, as Auth0's session.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The optional job that deletes dynamically registered clients nobody ever used.</summary>
    public StaleClientOptions StaleClients { get; set; } = new();

    /// <summary>The login page; the built-in self-contained template unless the host sets another.</summary>
    public LoginPageOptions LoginPage { get; set; } = new();

    /// <summary>
    /// Longest query string (in characters, with its <c>?</c>) any endpoint of the package accepts;
    /// longer ones get <c>414</c> in the endpoint's own error shape. Default 8192, Kestrel's own
    /// request-line limit, so hosts behind another server get the same bound.
    /// </summary>
    public int MaxQueryStringLength { get; set; } = 8 * 1024;
}

/// <summary>
/// The login page template: HTML in which <c>@@config@@</c> is replaced by the base64 of the
/// UTF-8 JSON config (LOCK.md §(b)) and <c>@@nonce@@</c> by the CSP nonce of inline scripts.
/// </summary>
public sealed class LoginPageOptions
{
    /// <summary>The template's HTML; null for the built-in self-contained template.</summary>
    public string? Template { get; set; }

    /// <summary>Script origins the template loads from (for example a Lock CDN), added to the page's CSP.</summary>
    public IList<string> ScriptSources { get; set; } = [];

    /// <summary>
    /// When true, the login config's <c>assetsUrl</c> is <c>/lock-assets</c> on the login page's
    /// host, and the server answers Lock's asset requests there: the tenant file (the bare
    /// URL), client files and language dictionaries, so Lock needs nothing from a CDN. Default false
    /// (<c>assetsUrl</c> empty, as on Auth0's public cloud).
    /// </summary>
    public bool ServeLockAssets { get; set; }

    /// <summary>Lock language dictionaries (language code → JSON object text) served under <c>/lock-assets/js/lock/{version}/{language}.js</c> when <see cref="ServeLockAssets"/> is on.</summary>
    public IDictionary<string, string> LanguageDictionaries { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// Uses the built-in Lock template (the seed's, with <c>__useTenantInfo: config.isThirdPartyClient</c>,
    /// <c>avatar: null</c> and a local logo) loading Lock from <paramref name="lockScriptUrl"/>
    /// (default: Auth0's CDN build of Lock 11.35.1). An absolute http(s) URL's origin is added to
    /// the CSP; a path on the host (hosts may serve Lock themselves) is covered by <c>'self'</c>.
    /// </summary>
    public LoginPageOptions UseLockTemplate(string lockScriptUrl = Login.LockTemplate.DefaultLockScriptUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(lockScriptUrl);
        Template = Login.LockTemplate.Html.Replace("@@lockScriptUrl@@", System.Net.WebUtility.HtmlEncode(lockScriptUrl), StringComparison.Ordinal);
        // A path on the host (e.g. "/js/lock.min.js") is covered by 'self'. On Unix such a path
        // also parses as an absolute file: URI, whose "origin" must not reach the CSP.
        if (Uri.TryCreate(lockScriptUrl, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp))
        {
            ScriptSources.Add(absolute.GetLeftPart(UriPartial.Authority));
        }

        return this;
    }

    /// <summary>Failed sign-ins per user and client IP within <see cref="FailedLoginWindow"/> before <c>too_many_attempts</c>. Default 10.</summary>
    public int MaxFailedLogins { get; set; } = 10;

    /// <summary>Default 15 minutes.</summary>
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Sign-ins a client IP address (IPv6: its /64) may start per minute: each login page shown by
    /// <c>/authorize</c> keeps a login transaction on the server for 30 minutes, so this bounds what
    /// one address can make the server hold (at the default, 3,600 transactions). Beyond it
    /// <c>/authorize</c> answers <c>temporarily_unavailable</c> (a redirect, or a page for strict
    /// clients) with <c>Retry-After</c>. Default 120; 0 turns it off.
    /// </summary>
    public int SignInsStartedPerIpPerMinute { get; set; } = 120;
}

/// <summary>
/// Stale clients: open registration lets anyone create clients, and many are never used. When
/// enabled, a background job deletes dynamically registered clients that got no token and no
/// authorization response within <see cref="NeverUsedFor"/> of their registration.
/// </summary>
public sealed class StaleClientOptions
{
    /// <summary>Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>How long a new client may stay unused. Default 30 days.</summary>
    public TimeSpan NeverUsedFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the job looks. Default every hour.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>An API clients may get access tokens for.</summary>
public sealed class ApiResourceOptions
{
    /// <summary>The API's identifier: the <c>audience</c> clients ask for and the <c>aud</c> of its tokens.</summary>
    public string Identifier { get; set; } = string.Empty;

    /// <summary>A display name for the consent page and the dashboard.</summary>
    public string? Name { get; set; }

    /// <summary>The permissions (scopes) the API defines.</summary>
    public IList<string> Scopes { get; set; } = [];
}

/// <summary>A first-party client declared by the host (Auth0: a first-party application with client grants).</summary>
public sealed class FirstPartyClientOptions
{
    /// <summary>The client id, as the client will send it.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The plaintext secret; only its hash is stored. Keep it out of source control.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A display name; the client id when not set.</summary>
    public string? Name { get; set; }

    /// <summary>Grant types the client may use; <c>client_credentials</c> by default.</summary>
    public IList<string> GrantTypes { get; set; } = [];

    /// <summary>Redirect URIs for a first-party client that signs users in.</summary>
    public IList<string> RedirectUris { get; set; } = [];

    /// <summary>Auth0's client grants: which APIs and scopes <c>client_credentials</c> may get.</summary>
    public IList<ClientGrantOptions> Grants { get; set; } = [];
}

/// <summary>An Auth0 client grant: an audience and the scopes a client may get for it.</summary>
public sealed class ClientGrantOptions
{
    /// <summary>The API identifier; <c>{issuer}api/v2/</c> for the Management API.</summary>
    public string Audience { get; set; } = string.Empty;

    /// <summary>The scopes of that API the client may get.</summary>
    public IList<string> Scopes { get; set; } = [];
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

    /// <summary>The settings a tenant starts with; a store returns them until the first update is stored.</summary>
    public TenantSettings ToTenantSettings() => new()
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
    /// Development only: lets <c>web</c> clients that use implicit register <c>http://localhost</c>,
    /// <c>http://127.0.0.1</c>, <c>http://[::1]</c> and <c>https://localhost</c> redirect URIs, which
    /// OpenID Connect Registration §2 forbids. (Loopback redirect URIs for the code flow need no
    /// option: RFC 8252 §7.3.) Off by default; a warning is logged when on.
    /// </summary>
    public bool AllowHttpLoopbackRedirectUrisForWebClients { get; set; }

    /// <summary>Rate limits and the client ceiling of open registration: on by default.</summary>
    public RegistrationLimitsOptions Limits { get; set; } = new();
}

/// <summary>
/// Abuse limits of <c>POST /oidc/register</c> (RFC 7591 §3 lets a server rate-limit it). Applied by
/// the package itself, with no <c>AddRateLimiter</c> in the host; refusals store nothing. A value of
/// 0 turns that limit off.
/// </summary>
public sealed class RegistrationLimitsOptions
{
    /// <summary>
    /// Registrations per client IP address per minute (a token bucket holding this many, refilled
    /// evenly over the minute); IPv6 addresses count per /64. Over it: <c>429 too_many_requests</c>
    /// with <c>Retry-After</c>. Default 20. Behind a proxy, apply forwarded headers first, or every
    /// caller shares the proxy's address.
    /// </summary>
    public int PermitsPerIpPerMinute { get; set; } = 20;

    /// <summary>
    /// Registrations per second across the whole tenant (Auth0's limit: 5), per app instance. A
    /// token bucket holding this many, refilled evenly over the second. Default 5.
    /// </summary>
    public int TenantPermitsPerSecond { get; set; } = 5;

    /// <summary>
    /// Most dynamically registered clients the tenant may hold; once reached, registration answers
    /// <c>403 access_denied</c> until the tenant owner deletes some. Default 10,000. Concurrent
    /// registrations may pass it by the number in flight.
    /// </summary>
    public int MaxDynamicClients { get; set; } = 10_000;
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

    /// <summary>
    /// How long start-up keeps trying a signing-key source (<c>ISigningKeySource</c>, such as the one
    /// <c>AddRedisStores</c> or <c>AddPostgreSqlStores</c> adds) whose backing service cannot be reached,
    /// before the host fails to start. Default 30 seconds; <see cref="TimeSpan.Zero"/> tries once.
    /// </summary>
    public TimeSpan SourceWaitTime { get; set; } = TimeSpan.FromSeconds(30);
}
