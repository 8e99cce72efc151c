using DynReg.Middleware.Protocol;
using DynReg.Middleware.Registration;
using DynReg.Middleware.Stores.Models;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Clients;

/// <summary>Whose client it is: third-party (registered, Auth0's dynamic clients) or declared by the host.</summary>
internal enum ClientParty
{
    /// <summary>A client from <c>POST /oidc/register</c> (Auth0: a third-party application).</summary>
    ThirdParty,

    /// <summary>A client the host declares (Auth0: a first-party application); it may use <c>client_credentials</c>.</summary>
    FirstParty,
}

/// <summary>What a client is checked against: the security mode it lives under, the host's limits, its party.</summary>
internal sealed record ClientRuleContext(DynamicClientRegistrationSecurityMode Mode, RegistrationOptions Limits, ClientParty Party = ClientParty.ThirdParty)
{
    /// <summary>
    /// The context of a stored client: the mode it registered under (a tenant switching to strict does
    /// not retroactively forbid what its older clients were given) and its party.
    /// </summary>
    public static ClientRuleContext For(Client client, RegistrationOptions limits)
        => new(client.RegistrationSecurityMode ?? DynamicClientRegistrationSecurityMode.Permissive, limits,
            client.IsFirstParty ? ClientParty.FirstParty : ClientParty.ThirdParty);
}

/// <summary>
/// A rule the client breaks: the RFC 7591 §3.2.2 error code, the member, the rule, and the offending
/// item of a list when there is one. Each surface words it in its own names.
/// </summary>
internal sealed record ClientRuleViolation(string Error, ClientMember Member, string Rule, string? Item = null)
{
    /// <summary>For <c>error_description</c> (RFC 7591 §3.2.2): the caller's value quoted and escaped.</summary>
    public string RegistrationDescription => Item is null
        ? $"{Member.Name} {Rule}."
        : $"The {ItemNoun(Member)} '{QuotedValue.Shorten(Item)}' {Rule}.";

    /// <summary>For Auth0's <c>invalid_body</c> message: Auth0's member names (<c>callbacks</c>, <c>name</c>).</summary>
    public string ManagementDescription => Item is null
        ? $"{Member.ManagementName ?? Member.Name} {Rule}"
        : $"The {(Member == ClientMembers.RedirectUris ? "callback" : ItemNoun(Member))} {Item} {Rule}";

    private static string ItemNoun(ClientMember member) => member.Name switch
    {
        Metadata.RedirectUris => "redirect URI",
        Metadata.GrantTypes => "grant type",
        Metadata.ResponseTypes => "response type",
        _ => "value",
    };
}

/// <summary>
/// The rules a whole client must keep, wherever it comes from: registration (RFC 7591 §2, OpenID
/// Connect Registration 1.0 §2), a Management API or dashboard change (the patch applied to the stored
/// client, then the result checked), and clients the host declares. Pure: no I/O, no clock. One check
/// per rule, in the order the specifications give the members; the first broken rule is returned.
/// </summary>
internal static class ClientRules
{
    private static readonly string[] SupportedAuthMethods =
        [ClientAuthenticationMethods.ClientSecretPost, ClientAuthenticationMethods.ClientSecretBasic, ClientAuthenticationMethods.None];

    private static readonly string[] ImplicitResponseTypes = [ResponseTypes.Token, ResponseTypes.IdTokenToken, ResponseTypes.IdToken];

    /// <summary>Null when <paramref name="client"/> keeps every rule under <paramref name="context"/>; else the first rule it breaks.</summary>
    public static ClientRuleViolation? Validate(ValidatedClientMetadata client, ClientRuleContext context)
    {
        var limits = context.Limits;
        return CheckApplicationType(client.ApplicationType)
            ?? CheckRedirectUris(client, context)
            ?? CheckAuthMethod(client.TokenEndpointAuthMethod)
            ?? CheckGrantTypes(client.GrantTypes, context)
            ?? CheckResponseTypes(client.ResponseTypes, context)
            ?? CheckGrantsMatchResponses(client)
            ?? CheckImplicitRedirectUris(client, limits)
            ?? CheckText(ClientMembers.ClientName, client.ClientName, limits)
            ?? CheckUri(ClientMembers.ClientUri, client.ClientUri, limits)
            ?? CheckUri(ClientMembers.LogoUri, client.LogoUri, limits)
            ?? CheckUri(ClientMembers.PolicyUri, client.PolicyUri, limits)
            ?? CheckUri(ClientMembers.TosUri, client.TosUri, limits)
            ?? CheckContacts(client.Contacts, limits)
            ?? CheckScope(client.Scope);
    }

    /// <summary>
    /// RFC 7591 §2 defaults: omitted <c>grant_types</c> follow the response types and the other way
    /// round. With neither: strict mode, and any client with an http loopback redirect URI, gets the
    /// code flow with refresh tokens; otherwise permissive mode (the flow Auth0's seed describes) adds
    /// implicit when every redirect URI may receive tokens in a fragment.
    /// </summary>
    public static (IReadOnlyList<string> GrantTypes, IReadOnlyList<string> ResponseTypes) CompleteGrantAndResponseTypes(
        IReadOnlyList<string>? grants, IReadOnlyList<string>? responses, IReadOnlyList<string> redirectUris, string applicationType, ClientRuleContext context)
    {
        if (grants is not null && responses is not null)
        {
            return (grants, responses);
        }

        if (grants is null && responses is null)
        {
            if (context.Mode == DynamicClientRegistrationSecurityMode.Strict)
            {
                return ([GrantTypes.AuthorizationCode, GrantTypes.RefreshToken], [ResponseTypes.Code]);
            }

            // RFC 8252 §7.3: a loopback redirect URI belongs to an app on the user's machine: the code
            // flow with refresh tokens, never tokens in a fragment by default; unless the host lets web
            // clients use implicit on loopback (a development option), which keeps the seed's defaults.
            var allowLoopback = context.Limits.AllowHttpLoopbackRedirectUrisForWebClients;
            if (!allowLoopback && redirectUris.Any(RedirectUriRules.IsHttpLoopback))
            {
                return ([GrantTypes.AuthorizationCode, GrantTypes.RefreshToken], [ResponseTypes.Code]);
            }

            return redirectUris.All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && RedirectUriRules.AllowsImplicit(uri, applicationType, allowLoopback))
                ? ([GrantTypes.AuthorizationCode, GrantTypes.Implicit], [ResponseTypes.Code, .. ImplicitResponseTypes])
                : ([GrantTypes.AuthorizationCode], [ResponseTypes.Code]);
        }

        if (grants is not null)
        {
            var derived = new List<string>();
            if (grants.Contains(GrantTypes.AuthorizationCode))
            {
                derived.Add(ResponseTypes.Code);
            }

            if (grants.Contains(GrantTypes.Implicit))
            {
                derived.AddRange(ImplicitResponseTypes);
            }

            return (grants, derived);
        }

        var requested = responses!;
        var derivedGrants = new List<string>();
        if (requested.Contains(ResponseTypes.Code))
        {
            derivedGrants.Add(GrantTypes.AuthorizationCode);
        }

        if (requested.Any(r => r != ResponseTypes.Code))
        {
            derivedGrants.Add(GrantTypes.Implicit);
        }

        return (derivedGrants, requested);
    }

    /// <summary>
    /// OAuth response types are space-separated sets (RFC 6749 §3.1.1): "token id_token" is
    /// "id_token token". Null when the set is not one OpenID Connect Core §3 defines here.
    /// </summary>
    public static string? NormaliseResponseType(string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Array.Sort(parts, StringComparer.Ordinal);
        var normalised = string.Join(' ', parts);
        return normalised is ResponseTypes.Code or ResponseTypes.Token or ResponseTypes.IdToken or ResponseTypes.IdTokenToken
            ? normalised
            : null;
    }

    /// <summary>
    /// RFC 7591 §2 <c>scope</c>: single spaces, no repeats. A value that breaks the scope rule comes
    /// back as it was, for <see cref="Validate"/> to refuse.
    /// </summary>
    public static string NormaliseScope(string scope)
        => CheckScope(scope) is null ? string.Join(' ', scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)) : scope;

    /// <summary>The rule of an informational URI such as <c>logo_uri</c>, for a member that is not even a string.</summary>
    public static string InformationUriRule(RegistrationOptions limits)
        => $"must be an absolute http or https URI without a fragment, at most {limits.MaxUriLength} characters";

    /// <summary>A URI member by its class (<see cref="ClientMember.UriClass"/>); null when absent or fine.</summary>
    public static ClientRuleViolation? CheckUri(ClientMember member, string? value, RegistrationOptions limits)
    {
        if (value is null)
        {
            return null;
        }

        Uri? uri = null;
        var scheme = value.Length <= member.MaxLength(limits) && RedirectUriRules.CheckSyntax(value, out uri) is null ? uri!.Scheme : null;
        return member.UriClass switch
        {
            // RFC 7591 §5: informational URIs are self-asserted; people open them, so http(s) only, and no fragment.
            UriClass.Information when scheme is not ("http" or "https")
                => InvalidMetadata(member, InformationUriRule(limits)),

            // OpenID Connect Registration 1.0 §2: documents the server would fetch use https.
            UriClass.Https when scheme != Uri.UriSchemeHttps
                => InvalidMetadata(member, "must be an absolute https URI"),
            _ => null,
        };
    }

    // OpenID Connect Registration 1.0 §2: "web" (default) or "native".
    private static ClientRuleViolation? CheckApplicationType(string applicationType)
        => applicationType is ApplicationTypes.Web or ApplicationTypes.Native
            ? null
            : InvalidMetadata(ClientMembers.ApplicationType, "must be \"web\" or \"native\"");

    // RFC 7591 §2: clients using redirect-based flows MUST register their redirect URIs; RFC 6749
    // §3.1.2, RFC 8252 §7 and RFC 9700 §2.6 say what each may be, for the client's application type.
    private static ClientRuleViolation? CheckRedirectUris(ValidatedClientMetadata client, ClientRuleContext context)
    {
        var limits = context.Limits;
        var uris = client.RedirectUris;
        if (uris.Count > limits.MaxRedirectUris)
        {
            return InvalidRedirectUri($"may contain at most {limits.MaxRedirectUris} URIs");
        }

        if (uris.Count == 0 && UsesRedirects(client.GrantTypes))
        {
            return InvalidRedirectUri("must contain at least one URI");
        }

        var maxLength = ClientMembers.RedirectUris.MaxLength(limits);
        foreach (var value in uris)
        {
            var problem = value.Length > maxLength
                ? $"is longer than {maxLength} characters"
                : RedirectUriRules.CheckSyntax(value, out var uri)
                    ?? RedirectUriRules.CheckForApplicationType(uri!, client.ApplicationType);
            if (problem is not null)
            {
                return InvalidRedirectUri(problem, value);
            }
        }

        return null;
    }

    // RFC 7591 §2: client_secret_post (the default here, as Auth0 has it), client_secret_basic or none.
    private static ClientRuleViolation? CheckAuthMethod(string authMethod)
        => SupportedAuthMethods.Contains(authMethod)
            ? null
            : InvalidMetadata(ClientMembers.TokenEndpointAuthMethod, $"must be one of: {string.Join(", ", SupportedAuthMethods)}");

    // RFC 7591 §2.1; strict mode (Auth0, 2026) allows only the code flow; client_credentials is for the host's own clients.
    private static ClientRuleViolation? CheckGrantTypes(IReadOnlyList<string> grants, ClientRuleContext context)
    {
        var strict = context.Mode == DynamicClientRegistrationSecurityMode.Strict && context.Party == ClientParty.ThirdParty;
        foreach (var grant in grants)
        {
            var problem = grant switch
            {
                GrantTypes.AuthorizationCode or GrantTypes.RefreshToken => null,
                GrantTypes.Implicit when strict => "is not allowed in strict mode; use authorization_code with PKCE",
                GrantTypes.Implicit => null,
                GrantTypes.ClientCredentials when context.Party == ClientParty.FirstParty => null,
                GrantTypes.ClientCredentials => "is not available to dynamically registered clients",
                _ => "is not supported. Supported: authorization_code, implicit, refresh_token",
            };
            if (problem is not null)
            {
                return new ClientRuleViolation(Errors.InvalidClientMetadata, ClientMembers.GrantTypes, problem, grant);
            }
        }

        return null;
    }

    // OpenID Connect Registration 1.0 §2 response_types; Core §3 defines the sets served here.
    private static ClientRuleViolation? CheckResponseTypes(IReadOnlyList<string> responses, ClientRuleContext context)
    {
        var strict = context.Mode == DynamicClientRegistrationSecurityMode.Strict && context.Party == ClientParty.ThirdParty;
        foreach (var response in responses)
        {
            var problem = NormaliseResponseType(response) != response
                ? "is not supported. Supported: code, token, id_token, id_token token"
                : strict && response != ResponseTypes.Code ? "is not allowed in strict mode; use code" : null;
            if (problem is not null)
            {
                return new ClientRuleViolation(Errors.InvalidClientMetadata, ClientMembers.ResponseTypes, problem, response);
            }
        }

        return null;
    }

    // RFC 7591 §2.1 and the table in OpenID Connect Registration 1.0 §2: each response type needs its
    // grant type, each redirect-based grant a response type; refresh tokens come from a code exchange.
    private static ClientRuleViolation? CheckGrantsMatchResponses(ValidatedClientMetadata client)
    {
        var grants = client.GrantTypes;
        var responses = client.ResponseTypes;
        if (responses.Contains(ResponseTypes.Code) != grants.Contains(GrantTypes.AuthorizationCode)
            || responses.Any(r => r != ResponseTypes.Code) != grants.Contains(GrantTypes.Implicit))
        {
            return InvalidMetadata(ClientMembers.GrantTypes,
                "and response_types are inconsistent: code needs authorization_code, and token or id_token need implicit");
        }

        return grants.Contains(GrantTypes.RefreshToken) && !grants.Contains(GrantTypes.AuthorizationCode)
            ? InvalidMetadata(ClientMembers.GrantTypes, "may list refresh_token only with authorization_code")
            : null;
    }

    // OpenID Connect Registration 1.0 §2: a client that gets tokens in the fragment may only use trusted targets.
    private static ClientRuleViolation? CheckImplicitRedirectUris(ValidatedClientMetadata client, RegistrationOptions limits)
    {
        if (!client.GrantTypes.Contains(GrantTypes.Implicit))
        {
            return null;
        }

        foreach (var value in client.RedirectUris)
        {
            if (!RedirectUriRules.AllowsImplicit(new Uri(value), client.ApplicationType, limits.AllowHttpLoopbackRedirectUrisForWebClients))
            {
                return InvalidRedirectUri(client.ApplicationType == ApplicationTypes.Web
                    ? "cannot be used with implicit: web clients using implicit must use https and not localhost"
                    : "cannot be used with implicit: native clients using implicit must use a custom scheme or http on localhost", value);
            }
        }

        return null;
    }

    private static ClientRuleViolation? CheckText(ClientMember member, string? value, RegistrationOptions limits)
    {
        if (value is null)
        {
            return null;
        }

        var maxLength = member.MaxLength(limits);
        if (value.Length > maxLength)
        {
            return InvalidMetadata(member, $"may be at most {maxLength} characters long");
        }

        // Control and bidirectional-override characters let a name impersonate another on the consent page.
        return value.Any(QuotedValue.IsControlOrBidiOverride)
            ? InvalidMetadata(member, "must not contain control or bidirectional-override characters")
            : null;
    }

    // OpenID Connect Registration 1.0 §2: contacts are e-mail addresses.
    private static ClientRuleViolation? CheckContacts(IReadOnlyList<string> contacts, RegistrationOptions limits)
    {
        if (contacts.Count > limits.MaxContacts)
        {
            return InvalidMetadata(ClientMembers.Contacts, $"may list at most {limits.MaxContacts} addresses");
        }

        var maxLength = ClientMembers.Contacts.MaxLength(limits);
        return contacts.Any(c => c.Length > maxLength || !LooksLikeEmailAddress(c))
            ? InvalidMetadata(ClientMembers.Contacts, "must be an array of e-mail addresses")
            : null;
    }

    // RFC 7591 §2: scope is a space-separated list of RFC 6749 §3.3 scope-tokens (%x21 / %x23-5B / %x5D-7E).
    private static ClientRuleViolation? CheckScope(string? scope)
    {
        if (scope is null)
        {
            return null;
        }

        var values = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return scope.Length > ClientMember.MaxScopeLength || values.Length == 0
            || values.Any(v => v.Any(c => c is < '!' or '"' or '\\' or > '~'))
            ? InvalidMetadata(ClientMembers.Scope, $"must be a space-separated list of scope values (RFC 6749 §3.3), at most {ClientMember.MaxScopeLength} characters")
            : null;
    }

    private static bool UsesRedirects(IReadOnlyList<string> grants)
        => grants.Contains(GrantTypes.AuthorizationCode) || grants.Contains(GrantTypes.Implicit);

    private static bool LooksLikeEmailAddress(string value)
    {
        var at = value.IndexOf('@');
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1
            && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.')
            && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"');
    }

    private static ClientRuleViolation InvalidMetadata(ClientMember member, string rule)
        => new(Errors.InvalidClientMetadata, member, rule);

    private static ClientRuleViolation InvalidRedirectUri(string rule, string? item = null)
        => new(Errors.InvalidRedirectUri, ClientMembers.RedirectUris, rule, item);
}
