using System.Net;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Hosting;

/// <summary>Start-up validation: each message says which option to set, and to what.</summary>
/// <param name="signingKeySource">A store's shared key, loaded at start-up: with one, no key need be configured.</param>
internal sealed class DynamicRegistrationOptionsValidator(Tokens.ISigningKeySource? signingKeySource = null) : IValidateOptions<DynamicRegistrationOptions>
{
    public ValidateOptionsResult Validate(string? name, DynamicRegistrationOptions options)
    {
        var failures = new List<string>();
        CheckIssuer(options.Issuer, failures);

        var registration = options.Registration;
        if (registration.MaxRequestBodyBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add("DynamicRegistrationOptions.Registration.MaxRequestBodyBytes must be between 1024 and 1048576 (default 16384).");
        }

        if (registration.MaxRedirectUris < 1)
        {
            failures.Add("DynamicRegistrationOptions.Registration.MaxRedirectUris must be at least 1 (default 20).");
        }

        if (registration.MaxUriLength < 32)
        {
            failures.Add("DynamicRegistrationOptions.Registration.MaxUriLength must be at least 32 (default 2048).");
        }

        if (registration.MaxStringLength < 1)
        {
            failures.Add("DynamicRegistrationOptions.Registration.MaxStringLength must be at least 1 (default 256).");
        }

        if (registration.MaxContacts < 0)
        {
            failures.Add("DynamicRegistrationOptions.Registration.MaxContacts must not be negative (default 10).");
        }

        var limits = registration.Limits;
        if (limits is null)
        {
            failures.Add("DynamicRegistrationOptions.Registration.Limits must not be null; set single members to 0 to turn a limit off.");
        }
        else
        {
            if (limits.PermitsPerIpPerMinute < 0)
            {
                failures.Add("DynamicRegistrationOptions.Registration.Limits.PermitsPerIpPerMinute must be 0 (off) or more (default 20).");
            }

            if (limits.TenantPermitsPerSecond < 0)
            {
                failures.Add("DynamicRegistrationOptions.Registration.Limits.TenantPermitsPerSecond must be 0 (off) or more (default 5).");
            }

            if (limits.MaxDynamicClients < 0)
            {
                failures.Add("DynamicRegistrationOptions.Registration.Limits.MaxDynamicClients must be 0 (no maximum) or more (default 10000).");
            }
        }

        if (options.LoginPage.SignInsStartedPerIpPerMinute < 0)
        {
            failures.Add("DynamicRegistrationOptions.LoginPage.SignInsStartedPerIpPerMinute must be 0 (off) or more (default 120).");
        }

        if (options.MaxQueryStringLength < 256)
        {
            failures.Add("DynamicRegistrationOptions.MaxQueryStringLength must be at least 256 (default 8192).");
        }

        if (options.SigningKeys.Keys.Count == 0 && string.IsNullOrWhiteSpace(options.SigningKeys.DevelopmentKeyPath) && signingKeySource is null)
        {
            failures.Add("No signing key is configured: call AddSigningKey(...), AddSigningKeyFromPemFile(...) or AddSigningCertificate(...) "
                + "on the builder that AddDynamicClientRegistration() returns, or AddDevelopmentSigningKey() in development.");
        }

        if (options.SigningKeys.SourceWaitTime < TimeSpan.Zero)
        {
            failures.Add("DynamicRegistrationOptions.SigningKeys.SourceWaitTime must not be negative (default 30 seconds; zero tries the signing-key source once).");
        }

        for (var i = 0; i < options.SigningKeys.Keys.Count; i++)
        {
            var keySize = options.SigningKeys.Keys[i].KeySize;
            if (keySize < 2048)
            {
                failures.Add($"Signing keys given to AddSigningKey(...) and its siblings must be RSA keys of at least 2048 bits; key {i + 1} has {keySize} bits.");
            }
        }

        if (options.StaleClients.Enabled && (options.StaleClients.NeverUsedFor <= TimeSpan.Zero || options.StaleClients.SweepInterval <= TimeSpan.Zero))
        {
            failures.Add("DynamicRegistrationOptions.StaleClients: NeverUsedFor and SweepInterval must be positive when Enabled (defaults 30 days and 1 hour).");
        }

        CheckApisAndClients(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckApisAndClients(DynamicRegistrationOptions options, List<string> failures)
    {
        var scopesByApi = new Dictionary<string, IList<string>>(StringComparer.Ordinal);
        if (options.Issuer is { IsAbsoluteUri: true } issuer)
        {
            scopesByApi[Management.ManagementApi.Audience(issuer)] = [.. Management.ManagementApi.AllScopes];
        }

        foreach (var api in options.Apis)
        {
            if (string.IsNullOrWhiteSpace(api.Identifier))
            {
                failures.Add("Each entry of DynamicRegistrationOptions.Apis needs an Identifier (the audience clients ask for).");
            }
            else if (!scopesByApi.TryAdd(api.Identifier, api.Scopes))
            {
                failures.Add($"DynamicRegistrationOptions.Apis declares '{api.Identifier}' twice (or it is the Management API's identifier).");
            }
        }

        var clientIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var client in options.Clients)
        {
            if (string.IsNullOrWhiteSpace(client.ClientId))
            {
                failures.Add("Each entry of DynamicRegistrationOptions.Clients needs a ClientId.");
                continue;
            }

            if (!clientIds.Add(client.ClientId))
            {
                failures.Add($"DynamicRegistrationOptions.Clients declares '{client.ClientId}' twice.");
            }

            var usesClientCredentials = client.GrantTypes.Count == 0 || client.GrantTypes.Contains(Protocol.OAuthConstants.GrantTypes.ClientCredentials);
            if (usesClientCredentials && (client.ClientSecret is null || client.ClientSecret.Length < 16))
            {
                failures.Add($"Client '{client.ClientId}' uses client_credentials: set its ClientSecret (at least 16 characters).");
            }

            // The rules every client keeps (the same as for registered ones), so a declared client
            // cannot hold a redirect URI registration would refuse.
            if (Clients.DeclaredClients.Check(client, options.Registration) is { } violation)
            {
                failures.Add($"Client '{client.ClientId}' in DynamicRegistrationOptions.Clients breaks a client rule: {violation.RegistrationDescription}");
            }

            foreach (var grant in client.Grants)
            {
                if (!scopesByApi.TryGetValue(grant.Audience, out var apiScopes))
                {
                    failures.Add($"Client '{client.ClientId}' has a grant for '{grant.Audience}', which is not an API: add it to DynamicRegistrationOptions.Apis.");
                    continue;
                }

                foreach (var scope in grant.Scopes.Where(s => !apiScopes.Contains(s)))
                {
                    failures.Add($"Client '{client.ClientId}' is granted scope '{scope}' that API '{grant.Audience}' does not define.");
                }
            }
        }
    }

    // OpenID Connect Discovery §3 / Core §2: an https URL without query or fragment; Auth0 ends it in '/'.
    private static void CheckIssuer(Uri? issuer, List<string> failures)
    {
        const string Shape = "DynamicRegistrationOptions.Issuer must be an absolute https URI ending in '/', such as https://login.example.com/ (http is allowed only for a loopback host such as http://127.0.0.1:5000/)";
        if (issuer is null)
        {
            failures.Add(Shape + "; it is not set.");
            return;
        }

        if (!issuer.IsAbsoluteUri)
        {
            failures.Add(Shape + $"; '{issuer}' is not absolute.");
            return;
        }

        var failuresBefore = failures.Count;
        var loopbackHttp = issuer.Scheme == Uri.UriSchemeHttp
            && (issuer.IsLoopback || (IPAddress.TryParse(issuer.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));
        if (issuer.Scheme != Uri.UriSchemeHttps && !loopbackHttp)
        {
            failures.Add(Shape + $"; '{issuer}' uses {issuer.Scheme}.");
        }

        // Uri adds a '/' to a bare authority ("https://login.example.com"), so read what the host wrote.
        if (!issuer.OriginalString.EndsWith('/'))
        {
            failures.Add(Shape + $"; '{issuer.OriginalString}' does not end in '/'.");
        }

        if (issuer.Query.Length > 0 || issuer.Fragment.Length > 0 || issuer.UserInfo.Length > 0)
        {
            failures.Add(Shape + $"; '{issuer}' must not have a query, fragment or user information.");
        }

        // Discovery and tokens carry Uri.AbsoluteUri, and clients compare the issuer byte for byte
        // (OpenID Connect Discovery §4.3), so it must be exactly what the host configured.
        if (failures.Count == failuresBefore && !string.Equals(issuer.OriginalString, issuer.AbsoluteUri, StringComparison.Ordinal))
        {
            failures.Add(Shape + $"; write it in canonical form, '{issuer.AbsoluteUri}', not '{issuer.OriginalString}', "
                + "because discovery and tokens carry the canonical form and clients compare it byte for byte.");
        }
    }
}
