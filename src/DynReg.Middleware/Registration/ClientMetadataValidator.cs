using System.Text.Json;
using DynReg.Middleware.Protocol;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Registration;

/// <summary>
/// Validates and normalises a registration request (RFC 7591 §2, OpenID Connect Registration §2).
/// Pure: no I/O, no clock. One check per rule, in the order the specifications give them.
/// Unknown members are ignored (RFC 7591 §2); <c>client_id</c> and <c>client_secret</c> in the
/// request are never honoured (RFC 7591 §6, RFC 9700 §4.15.1).
/// </summary>
internal static class ClientMetadataValidator
{
    private static readonly string[] SupportedAuthMethods =
        [ClientAuthenticationMethods.ClientSecretPost, ClientAuthenticationMethods.ClientSecretBasic, ClientAuthenticationMethods.None];

    private static readonly string[] ImplicitResponseTypes = [ResponseTypes.Token, ResponseTypes.IdTokenToken, ResponseTypes.IdToken];

    public static ClientMetadataValidationResult Validate(JsonElement request, RegistrationRules rules)
    {
        // RFC 7591 §3.1: the body is a JSON object.
        if (request.ValueKind != JsonValueKind.Object)
        {
            return InvalidMetadata("The request body must be a JSON object.");
        }

        // RFC 8259 §8.2: a member name with an escaped lone surrogate ("\ud800") is not a string;
        // looking any member up would then throw. Refuse it as bad metadata, never a 500.
        if (!HasReadableMemberNames(request))
        {
            return InvalidMetadata("Member names must be valid Unicode strings.");
        }

        var limits = rules.Limits;
        string? clientName = null, clientUri = null, logoUri = null, policyUri = null, tosUri = null, scope = null;
        IReadOnlyList<string> redirectUris = [], grantTypes = [], responseTypes = [], contacts = [];
        var authMethod = ClientAuthenticationMethods.ClientSecretPost;
        var failure = ReadApplicationType(request, out var applicationType)
            ?? ReadRedirectUris(request, applicationType, limits, out redirectUris)
            ?? ReadAuthMethod(request, out authMethod)
            ?? ReadGrantAndResponseTypes(request, rules, applicationType, redirectUris, out grantTypes, out responseTypes)
            ?? ReadText(request, Metadata.ClientName, limits.MaxStringLength, out clientName)
            ?? ReadInformationUri(request, Metadata.ClientUri, limits, out clientUri)
            ?? ReadInformationUri(request, Metadata.LogoUri, limits, out logoUri)
            ?? ReadInformationUri(request, Metadata.PolicyUri, limits, out policyUri)
            ?? ReadInformationUri(request, Metadata.TosUri, limits, out tosUri)
            ?? ReadContacts(request, limits, out contacts)
            ?? ReadScope(request, out scope)
            ?? CheckKeyMaterial(request, limits);
        if (failure is { } error)
        {
            return error;
        }

        return ClientMetadataValidationResult.Valid(new ValidatedClientMetadata
        {
            ClientName = clientName,
            RedirectUris = redirectUris,
            TokenEndpointAuthMethod = authMethod,
            GrantTypes = grantTypes,
            ResponseTypes = responseTypes,
            ApplicationType = applicationType,
            ClientUri = clientUri,
            LogoUri = logoUri,
            PolicyUri = policyUri,
            TosUri = tosUri,
            Contacts = contacts,
            Scope = scope,
        });
    }

    // RFC 7591 §2: scope is a space-separated list of RFC 6749 §3.3 scope-tokens
    // (%x21 / %x23-5B / %x5D-7E); kept normalised (single spaces, no repeats).
    private static ClientMetadataValidationResult? ReadScope(JsonElement request, out string? scope)
    {
        const int MaxScopeLength = 2048;
        if (ReadString(request, Metadata.Scope, out scope) is { } failure)
        {
            return failure;
        }

        if (scope is null)
        {
            return null;
        }

        var values = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scope.Length > MaxScopeLength || values.Length == 0
            || values.Any(v => v.Any(c => c is < '!' or '"' or '\\' or > '~')))
        {
            scope = null;
            return InvalidMetadata($"scope must be a space-separated list of scope values (RFC 6749 §3.3), at most {MaxScopeLength} characters.");
        }

        scope = string.Join(' ', values.Distinct(StringComparer.Ordinal));
        return null;
    }

    // OpenID Connect Registration §2: "web" (default) or "native".
    private static ClientMetadataValidationResult? ReadApplicationType(JsonElement request, out string applicationType)
    {
        applicationType = ApplicationTypes.Web;
        if (ReadString(request, Metadata.ApplicationType, out var value) is { } failure)
        {
            return failure;
        }

        if (value is null)
        {
            return null;
        }

        if (value is not (ApplicationTypes.Web or ApplicationTypes.Native))
        {
            return InvalidMetadata("application_type must be \"web\" or \"native\".");
        }

        applicationType = value;
        return null;
    }

    // OpenID Connect Registration §2 (REQUIRED), RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §2.6.
    private static ClientMetadataValidationResult? ReadRedirectUris(
        JsonElement request, string applicationType, RegistrationOptions limits, out IReadOnlyList<string> redirectUris)
    {
        redirectUris = [];
        if (!request.TryGetProperty(Metadata.RedirectUris, out var element) || element.ValueKind != JsonValueKind.Array)
        {
            return InvalidRedirectUri("redirect_uris is required and must be an array of strings.");
        }

        var count = element.GetArrayLength();
        if (count == 0)
        {
            return InvalidRedirectUri("redirect_uris must contain at least one URI.");
        }

        if (count > limits.MaxRedirectUris)
        {
            return InvalidRedirectUri($"redirect_uris may contain at most {limits.MaxRedirectUris} URIs.");
        }

        var uris = new List<string>(count);
        foreach (var item in element.EnumerateArray())
        {
            if (!TryGetString(item, out var value))
            {
                return InvalidRedirectUri("redirect_uris must be an array of strings.");
            }

            if (value.Length > limits.MaxUriLength)
            {
                return InvalidRedirectUri($"Each redirect URI may be at most {limits.MaxUriLength} characters long.");
            }

            if (RedirectUriRules.CheckSyntax(value, out var uri) is { } syntaxProblem)
            {
                return InvalidRedirectUri($"The redirect URI '{Shorten(value)}' {syntaxProblem}.");
            }

            if (RedirectUriRules.CheckForApplicationType(uri!, applicationType, limits.AllowHttpLoopbackRedirectUrisForWebClients) is { } typeProblem)
            {
                return InvalidRedirectUri($"The redirect URI '{Shorten(value)}' {typeProblem}.");
            }

            // Stored verbatim, never rewritten (OpenID Connect Registration §3.2); exact duplicates add nothing.
            if (!uris.Contains(value, StringComparer.Ordinal))
            {
                uris.Add(value);
            }
        }

        redirectUris = uris;
        return null;
    }

    // RFC 7591 §2: default client_secret_post here, as Auth0 has it.
    private static ClientMetadataValidationResult? ReadAuthMethod(JsonElement request, out string authMethod)
    {
        authMethod = ClientAuthenticationMethods.ClientSecretPost;
        if (ReadString(request, Metadata.TokenEndpointAuthMethod, out var value) is { } failure)
        {
            return failure;
        }

        if (value is null)
        {
            return null;
        }

        if (!SupportedAuthMethods.Contains(value))
        {
            return InvalidMetadata($"token_endpoint_auth_method must be one of: {string.Join(", ", SupportedAuthMethods)}.");
        }

        authMethod = value;
        return null;
    }

    // RFC 7591 §2.1 and the table in OpenID Connect Registration §2; SPEC §4 for the defaults per mode.
    private static ClientMetadataValidationResult? ReadGrantAndResponseTypes(
        JsonElement request,
        RegistrationRules rules,
        string applicationType,
        IReadOnlyList<string> redirectUris,
        out IReadOnlyList<string> grantTypes,
        out IReadOnlyList<string> responseTypes)
    {
        grantTypes = [];
        responseTypes = [];
        var strict = rules.Mode == DynamicClientRegistrationSecurityMode.Strict;
        var allowLoopback = rules.Limits.AllowHttpLoopbackRedirectUrisForWebClients;

        if (ReadStringArray(request, Metadata.GrantTypes, out var requestedGrants) is { } grantFailure)
        {
            return grantFailure;
        }

        if (ReadStringArray(request, Metadata.ResponseTypes, out var requestedResponses) is { } responseFailure)
        {
            return responseFailure;
        }

        List<string>? grants = null;
        if (requestedGrants is not null)
        {
            grants = [];
            foreach (var grant in requestedGrants)
            {
                switch (grant)
                {
                    case GrantTypes.AuthorizationCode or GrantTypes.RefreshToken:
                        break;
                    case GrantTypes.Implicit when strict:
                        return InvalidMetadata("The implicit grant is not allowed in strict mode; use authorization_code with PKCE.");
                    case GrantTypes.Implicit:
                        break;
                    case GrantTypes.ClientCredentials:
                        return InvalidMetadata("client_credentials is not available to dynamically registered clients.");
                    default:
                        return InvalidMetadata($"Unsupported grant type '{Shorten(grant)}'. Supported: authorization_code, implicit, refresh_token.");
                }

                AddOnce(grants, grant);
            }
        }

        List<string>? responses = null;
        if (requestedResponses is not null)
        {
            responses = [];
            foreach (var requested in requestedResponses)
            {
                var responseType = NormaliseResponseType(requested);
                if (responseType is null)
                {
                    return InvalidMetadata($"Unsupported response type '{Shorten(requested)}'. Supported: code, token, id_token, id_token token.");
                }

                if (strict && responseType != ResponseTypes.Code)
                {
                    return InvalidMetadata("Only the code response type is allowed in strict mode.");
                }

                AddOnce(responses, responseType);
            }
        }

        if (grants is null && responses is null)
        {
            // SPEC §4: permissive gives implicit too when every redirect URI may receive tokens in a fragment.
            if (strict)
            {
                grants = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken];
                responses = [ResponseTypes.Code];
            }
            else if (redirectUris.All(u => RedirectUriRules.AllowsImplicit(new Uri(u), applicationType, allowLoopback)))
            {
                grants = [GrantTypes.AuthorizationCode, GrantTypes.Implicit];
                responses = [ResponseTypes.Code, .. ImplicitResponseTypes];
            }
            else
            {
                grants = [GrantTypes.AuthorizationCode];
                responses = [ResponseTypes.Code];
            }
        }
        else if (responses is null)
        {
            responses = [];
            if (grants!.Contains(GrantTypes.AuthorizationCode))
            {
                responses.Add(ResponseTypes.Code);
            }

            if (grants.Contains(GrantTypes.Implicit))
            {
                responses.AddRange(ImplicitResponseTypes);
            }
        }
        else if (grants is null)
        {
            grants = [];
            if (responses.Contains(ResponseTypes.Code))
            {
                grants.Add(GrantTypes.AuthorizationCode);
            }

            if (responses.Any(r => r != ResponseTypes.Code))
            {
                grants.Add(GrantTypes.Implicit);
            }
        }

        // Each response type needs its grant type, and each redirect-based grant a response type.
        var hasCode = responses.Contains(ResponseTypes.Code);
        var hasImplicitResponse = responses.Any(r => r != ResponseTypes.Code);
        if (hasCode != grants.Contains(GrantTypes.AuthorizationCode) || hasImplicitResponse != grants.Contains(GrantTypes.Implicit))
        {
            return InvalidMetadata("grant_types and response_types are inconsistent: code needs authorization_code, and token or id_token need implicit.");
        }

        if (grants.Contains(GrantTypes.RefreshToken) && !grants.Contains(GrantTypes.AuthorizationCode))
        {
            return InvalidMetadata("refresh_token needs authorization_code.");
        }

        // OpenID Connect Registration §2: a client that gets tokens in the fragment may only use trusted targets.
        if (grants.Contains(GrantTypes.Implicit))
        {
            foreach (var uri in redirectUris)
            {
                if (!RedirectUriRules.AllowsImplicit(new Uri(uri), applicationType, allowLoopback))
                {
                    return InvalidRedirectUri(applicationType == ApplicationTypes.Web
                        ? $"The redirect URI '{Shorten(uri)}' cannot be used with implicit: web clients using implicit must use https and not localhost."
                        : $"The redirect URI '{Shorten(uri)}' cannot be used with implicit: native clients using implicit must use a custom scheme or http on localhost.");
                }
            }
        }

        grantTypes = grants;
        responseTypes = responses;
        return null;
    }

    // OpenID Connect Registration §2: contacts are e-mail addresses.
    private static ClientMetadataValidationResult? ReadContacts(JsonElement request, RegistrationOptions limits, out IReadOnlyList<string> contacts)
    {
        contacts = [];
        if (ReadStringArray(request, Metadata.Contacts, out var values) is { } failure)
        {
            return failure;
        }

        if (values is null)
        {
            return null;
        }

        if (values.Count > limits.MaxContacts)
        {
            return InvalidMetadata($"contacts may list at most {limits.MaxContacts} addresses.");
        }

        foreach (var value in values)
        {
            if (value.Length > limits.MaxStringLength || !LooksLikeEmailAddress(value))
            {
                return InvalidMetadata("contacts must be an array of e-mail addresses.");
            }
        }

        contacts = values;
        return null;
    }

    // RFC 7591 §2: jwks and jwks_uri are exclusive; OpenID Connect Registration §2: these URIs use https.
    // Neither key material nor pairwise subjects are supported, so once checked they are not kept.
    private static ClientMetadataValidationResult? CheckKeyMaterial(JsonElement request, RegistrationOptions limits)
    {
        if (request.TryGetProperty(Metadata.Jwks, out _) && request.TryGetProperty(Metadata.JwksUri, out _))
        {
            return InvalidMetadata("jwks and jwks_uri must not both be present.");
        }

        foreach (var name in (string[])[Metadata.JwksUri, Metadata.SectorIdentifierUri, Metadata.InitiateLoginUri])
        {
            if (ReadString(request, name, out var value) is { } failure)
            {
                return failure;
            }

            if (value is not null && (value.Length > limits.MaxUriLength || !IsAbsoluteUri(value, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            {
                return InvalidMetadata($"{name} must be an absolute https URI.");
            }
        }

        return null;
    }

    // Informational URIs are self-asserted (RFC 7591 §5): only checked to be absolute http(s) URIs.
    private static ClientMetadataValidationResult? ReadInformationUri(JsonElement request, string name, RegistrationOptions limits, out string? value)
    {
        if (ReadString(request, name, out value) is { } failure)
        {
            return failure;
        }

        if (value is not null && (value.Length > limits.MaxUriLength || !IsAbsoluteUri(value, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || value.Contains('#')))
        {
            return InvalidMetadata($"{name} must be an absolute http or https URI without a fragment, at most {limits.MaxUriLength} characters.");
        }

        return null;
    }

    private static ClientMetadataValidationResult? ReadText(JsonElement request, string name, int maxLength, out string? value)
    {
        if (ReadString(request, name, out value) is { } failure)
        {
            return failure;
        }

        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            return InvalidMetadata($"{name} may be at most {maxLength} characters long.");
        }

        // Control and bidirectional-override characters let a name impersonate another on the consent page.
        if (value.Any(QuotedValue.IsControlOrBidiOverride))
        {
            return InvalidMetadata($"{name} must not contain control or bidirectional-override characters.");
        }

        return null;
    }

    /// <summary>Absent is fine (null); present must be a string. JSON null is a wrong type, not absence.</summary>
    private static ClientMetadataValidationResult? ReadString(JsonElement request, string name, out string? value)
    {
        value = null;
        if (!request.TryGetProperty(name, out var element))
        {
            return null;
        }

        return TryGetString(element, out value) ? null : InvalidMetadata($"{name} must be a string.");
    }

    /// <summary>
    /// Absent or an empty array is "omitted" (null): RFC 7591 §2 then applies the member's default.
    /// Client libraries that serialise a whole metadata class, Duende.IdentityModel's
    /// <c>DynamicClientRegistrationDocument</c> among them, send <c>[]</c> for every list the
    /// caller left alone; an empty list asks for nothing a server could honour. Present must be an
    /// array of strings; JSON null is a wrong type, not absence.
    /// </summary>
    private static ClientMetadataValidationResult? ReadStringArray(JsonElement request, string name, out List<string>? values)
    {
        values = null;
        if (!request.TryGetProperty(name, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return InvalidMetadata($"{name} must be a non-empty array of strings.");
        }

        if (element.GetArrayLength() == 0)
        {
            return null;
        }

        values = new List<string>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (!TryGetString(item, out var value))
            {
                return InvalidMetadata($"{name} must be a non-empty array of strings.");
            }

            AddOnce(values, value);
        }

        return null;
    }

    private static bool HasReadableMemberNames(JsonElement request)
    {
        try
        {
            foreach (var member in request.EnumerateObject())
            {
                _ = member.Name;
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // GetString throws on escaped lone surrogates ("\ud800"): that is bad input, not a server error.
    private static bool TryGetString(JsonElement element, out string value)
    {
        value = string.Empty;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // OAuth response types are space-separated sets: "token id_token" is "id_token token".
    private static string? NormaliseResponseType(string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Array.Sort(parts, StringComparer.Ordinal);
        var normalised = string.Join(' ', parts);
        return normalised is ResponseTypes.Code or ResponseTypes.Token or ResponseTypes.IdToken or ResponseTypes.IdTokenToken
            ? normalised
            : null;
    }

    private static bool LooksLikeEmailAddress(string value)
    {
        var at = value.IndexOf('@');
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1
            && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.')
            && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"');
    }

    private static bool IsAbsoluteUri(string value, out Uri uri)
        => RedirectUriRules.CheckSyntax(value, out uri!) is null;

    private static void AddOnce(List<string> list, string value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }

    private static string Shorten(string value) => QuotedValue.Shorten(value);

    private static ClientMetadataValidationResult InvalidMetadata(string description)
        => ClientMetadataValidationResult.Invalid(Errors.InvalidClientMetadata, description);

    private static ClientMetadataValidationResult InvalidRedirectUri(string description)
        => ClientMetadataValidationResult.Invalid(Errors.InvalidRedirectUri, description);
}
