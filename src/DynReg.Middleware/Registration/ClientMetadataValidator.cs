using System.Text.Json;
using DynReg.Middleware.Clients;
using DynReg.Middleware.Protocol;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Registration;

/// <summary>
/// Reads and normalises a registration request (RFC 7591 §2, OpenID Connect Registration §2), then
/// checks the whole client with <see cref="ClientRules"/>, the rules every client keeps. Pure: no
/// I/O, no clock. Here only what is particular to the request: JSON types, the defaults, and the
/// members that are checked but not kept. Unknown members are ignored (RFC 7591 §2);
/// <c>client_id</c> and <c>client_secret</c> in the request are never honoured (RFC 7591 §6, RFC 9700 §4.15.1).
/// </summary>
internal static class ClientMetadataValidator
{
    public static ClientMetadataValidationResult Validate(JsonElement request, ClientRuleContext context)
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

        string? applicationType = null, authMethod = null, clientName = null, clientUri = null, logoUri = null, policyUri = null, tosUri = null, scope = null;
        List<string>? grantTypes = null, responseTypes = null, contacts = null;
        IReadOnlyList<string> redirectUris = [];
        var failure = ReadString(request, ClientMembers.ApplicationType, out applicationType)
            ?? ReadRedirectUris(request, out redirectUris)
            ?? ReadString(request, ClientMembers.TokenEndpointAuthMethod, out authMethod)
            ?? ReadStringArray(request, ClientMembers.GrantTypes, out grantTypes)
            ?? ReadStringArray(request, ClientMembers.ResponseTypes, out responseTypes)
            ?? ReadString(request, ClientMembers.ClientName, out clientName)
            ?? ReadString(request, ClientMembers.ClientUri, out clientUri)
            ?? ReadString(request, ClientMembers.LogoUri, out logoUri)
            ?? ReadString(request, ClientMembers.PolicyUri, out policyUri)
            ?? ReadString(request, ClientMembers.TosUri, out tosUri)
            ?? ReadStringArray(request, ClientMembers.Contacts, out contacts)
            ?? ReadString(request, ClientMembers.Scope, out scope)
            ?? CheckKeyMaterial(request, context.Limits);
        if (failure is { } error)
        {
            return error;
        }

        // OpenID Connect Registration §2: web by default; RFC 7591 §2 defaults for the rest.
        applicationType ??= ApplicationTypes.Web;
        var (grants, responses) = ClientRules.CompleteGrantAndResponseTypes(
            grantTypes, responseTypes?.Select(r => ClientRules.NormaliseResponseType(r) ?? r).Distinct().ToList(), redirectUris, applicationType, context);
        var metadata = new ValidatedClientMetadata
        {
            ClientName = clientName,
            RedirectUris = redirectUris,
            TokenEndpointAuthMethod = authMethod ?? ClientAuthenticationMethods.ClientSecretPost,
            GrantTypes = grants,
            ResponseTypes = responses,
            ApplicationType = applicationType,
            ClientUri = clientUri,
            LogoUri = logoUri,
            PolicyUri = policyUri,
            TosUri = tosUri,
            Contacts = contacts ?? [],
            // Some MCP clients send "scope": "" for no scope: the same as leaving it out.
            Scope = string.IsNullOrEmpty(scope) ? null : ClientRules.NormaliseScope(scope),
        };

        return ClientRules.Validate(metadata, context) is { } violation
            ? ClientMetadataValidationResult.Invalid(violation.Error, violation.RegistrationDescription)
            : ClientMetadataValidationResult.Valid(metadata);
    }

    // OpenID Connect Registration §2: REQUIRED, at least one; stored verbatim, never rewritten (§3.2),
    // so exact duplicates add nothing. What each URI may be is a client rule.
    private static ClientMetadataValidationResult? ReadRedirectUris(JsonElement request, out IReadOnlyList<string> redirectUris)
    {
        redirectUris = [];
        if (!request.TryGetProperty(Metadata.RedirectUris, out var element) || element.ValueKind != JsonValueKind.Array)
        {
            return InvalidRedirectUri("redirect_uris is required and must be an array of strings.");
        }

        if (element.GetArrayLength() == 0)
        {
            return InvalidRedirectUri("redirect_uris must contain at least one URI.");
        }

        var uris = new List<string>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (!TryGetString(item, out var value))
            {
                return InvalidRedirectUri("redirect_uris must be an array of strings.");
            }

            AddOnce(uris, value);
        }

        redirectUris = uris;
        return null;
    }

    // RFC 7591 §2: jwks and jwks_uri are exclusive. Neither key material nor pairwise subjects are
    // supported, so once checked these members are not kept.
    private static ClientMetadataValidationResult? CheckKeyMaterial(JsonElement request, RegistrationOptions limits)
    {
        if (request.TryGetProperty(Metadata.Jwks, out _) && request.TryGetProperty(Metadata.JwksUri, out _))
        {
            return InvalidMetadata("jwks and jwks_uri must not both be present.");
        }

        foreach (var member in ClientMembers.UnkeptUris)
        {
            if (ReadString(request, member, out var value) is { } failure)
            {
                return failure;
            }

            if (ClientRules.CheckUri(member, value, limits) is { } violation)
            {
                return InvalidMetadata(violation.RegistrationDescription);
            }
        }

        return null;
    }

    /// <summary>Absent is fine (null); present must be a string. JSON null is a wrong type, not absence.</summary>
    private static ClientMetadataValidationResult? ReadString(JsonElement request, ClientMember member, out string? value)
    {
        value = null;
        if (!request.TryGetProperty(member.Name, out var element))
        {
            return null;
        }

        return TryGetString(element, out value) ? null : InvalidMetadata($"{member.Name} must be a string.");
    }

    /// <summary>
    /// Absent or an empty array is "omitted" (null): RFC 7591 §2 then applies the member's default.
    /// Client libraries that serialise a whole metadata class, Duende.IdentityModel's
    /// <c>DynamicClientRegistrationDocument</c> among them, send <c>[]</c> for every list the
    /// caller left alone; an empty list asks for nothing a server could honour. Present must be an
    /// array of strings; JSON null is a wrong type, not absence.
    /// </summary>
    private static ClientMetadataValidationResult? ReadStringArray(JsonElement request, ClientMember member, out List<string>? values)
    {
        var name = member.Name;
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

    private static void AddOnce(List<string> list, string value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }

    private static ClientMetadataValidationResult InvalidMetadata(string description)
        => ClientMetadataValidationResult.Invalid(Errors.InvalidClientMetadata, description);

    private static ClientMetadataValidationResult InvalidRedirectUri(string description)
        => ClientMetadataValidationResult.Invalid(Errors.InvalidRedirectUri, description);
}
