using DynReg.Middleware.Clients;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Management;

/// <summary>
/// A client as the Management API shows it: Auth0's client object (its member names, <c>app_type</c>,
/// <c>callbacks</c>), mapped from the stored <see cref="Client"/>.
/// </summary>
internal static class Auth0ClientBody
{
    public const string Name = "name";
    public static readonly string Callbacks = ClientMembers.RedirectUris.ManagementName!;
    public const string LogoUri = OAuthConstants.Metadata.LogoUri;

    /// <summary>Auth0's client shape; <paramref name="newSecret"/> only right after a rotation.</summary>
    public static ManagementClientBody From(Client client, string? newSecret) => new()
    {
        ClientId = client.ClientId,
        Name = client.ClientName ?? client.ClientId,
        ClientSecret = newSecret,
        IsFirstParty = client.IsFirstParty,
        IsDisabled = client.IsDisabled,
        AppType = AppType(client),
        TokenEndpointAuthMethod = client.TokenEndpointAuthMethod,
        Callbacks = client.RedirectUris,
        GrantTypes = client.GrantTypes,
        LogoUri = client.LogoUri,
        CreatedAt = client.CreatedAt,
        LastUsedAt = client.LastUsedAt,
    };

    private static string AppType(Client client) => client switch
    {
        { ApplicationType: OAuthConstants.ApplicationTypes.Native } => "native",
        { RedirectUris.Count: 0 } => "non_interactive",
        _ => "regular_web",
    };
}
