using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Clients;

/// <summary>
/// Clients the host declares (<see cref="DynamicRegistrationOptions.Clients"/>): the one mapping to a
/// stored <see cref="Client"/>, used both to check them at start and to seed them, so what is checked
/// is what is stored.
/// </summary>
internal static class DeclaredClients
{
    /// <summary>The stored form of <paramref name="declared"/>: first-party, <c>client_credentials</c> unless other grants are named.</summary>
    public static Client ToClient(FirstPartyClientOptions declared, string? secretHash, DateTimeOffset createdAt)
    {
        var redirectUris = declared.RedirectUris.ToArray();
        var grants = declared.GrantTypes.Count > 0 ? declared.GrantTypes.Distinct(StringComparer.Ordinal).ToArray() : [OAuthConstants.GrantTypes.ClientCredentials];

        // RFC 7591 §2: response types follow from the grant types when not given.
        var (grantTypes, responseTypes) = ClientRules.CompleteGrantAndResponseTypes(grants, null, redirectUris, OAuthConstants.ApplicationTypes.Web, Context(new RegistrationOptions()));
        return new Client
        {
            ClientId = declared.ClientId,
            ClientSecretHash = secretHash,
            ClientName = declared.Name ?? declared.ClientId,
            RedirectUris = redirectUris,
            TokenEndpointAuthMethod = secretHash is null
                ? OAuthConstants.ClientAuthenticationMethods.None
                : OAuthConstants.ClientAuthenticationMethods.ClientSecretPost,
            GrantTypes = grantTypes,
            ResponseTypes = responseTypes,
            IsFirstParty = true,
            ClientGrants = [.. declared.Grants.Select(g => new ClientGrant(g.Audience, [.. g.Scopes]))],
            CreatedAt = createdAt,
        };
    }

    /// <summary>The first client rule <paramref name="declared"/> breaks under the host's <paramref name="limits"/>; null when none.</summary>
    public static ClientRuleViolation? Check(FirstPartyClientOptions declared, RegistrationOptions limits)
        => ClientRules.Validate(ClientMapping.MetadataOf(ToClient(declared, secretHash: null, default)), Context(limits));

    private static ClientRuleContext Context(RegistrationOptions limits)
        => new(DynamicClientRegistrationSecurityMode.Permissive, limits, ClientParty.FirstParty);
}
