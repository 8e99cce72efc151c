using DynReg.Middleware.Registration;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Clients;

/// <summary>
/// The one mapping between a stored <see cref="Client"/> and its metadata (RFC 7591 §2 members), so a
/// new member is added here once, not at every place a client is built or checked.
/// </summary>
internal static class ClientMapping
{
    /// <summary>The stored client's metadata: what a change is applied to before the whole is checked again.</summary>
    public static ValidatedClientMetadata MetadataOf(Client client) => new()
    {
        ClientName = client.ClientName,
        RedirectUris = client.RedirectUris,
        TokenEndpointAuthMethod = client.TokenEndpointAuthMethod,
        GrantTypes = client.GrantTypes,
        ResponseTypes = client.ResponseTypes,
        ApplicationType = client.ApplicationType,
        ClientUri = client.ClientUri,
        LogoUri = client.LogoUri,
        PolicyUri = client.PolicyUri,
        TosUri = client.TosUri,
        Contacts = client.Contacts,
        Scope = client.Scope,
    };

    /// <summary><paramref name="client"/> with every metadata member taken from <paramref name="metadata"/>.</summary>
    public static Client WithMetadata(this Client client, ValidatedClientMetadata metadata) => client with
    {
        ClientName = metadata.ClientName,
        RedirectUris = metadata.RedirectUris,
        TokenEndpointAuthMethod = metadata.TokenEndpointAuthMethod,
        GrantTypes = metadata.GrantTypes,
        ResponseTypes = metadata.ResponseTypes,
        ApplicationType = metadata.ApplicationType,
        ClientUri = metadata.ClientUri,
        LogoUri = metadata.LogoUri,
        PolicyUri = metadata.PolicyUri,
        TosUri = metadata.TosUri,
        Contacts = metadata.Contacts,
        Scope = metadata.Scope,
    };
}
