using System.Text.Json;
using DynReg.Middleware.Clients;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Management;

/// <summary>
/// A client as the Management API shows it: Auth0's client object (its member names, <c>app_type</c>,
/// <c>callbacks</c>), written straight from the stored <see cref="Client"/>.
/// </summary>
internal static class Auth0ClientBody
{
    public const string Name = "name";
    public static readonly string Callbacks = ClientMembers.RedirectUris.ManagementName!;
    public const string LogoUri = OAuthConstants.Metadata.LogoUri;

    /// <summary>Auth0's client shape; <paramref name="newSecret"/> only right after a rotation.</summary>
    public static void Write(Utf8JsonWriter writer, Client client, string? newSecret)
    {
        writer.WriteStartObject();
        writer.WriteString(OAuthConstants.Metadata.ClientId, client.ClientId);
        writer.WriteString(Name, client.ClientName ?? client.ClientId);
        if (newSecret is not null)
        {
            writer.WriteString(OAuthConstants.Metadata.ClientSecret, newSecret);
        }

        writer.WriteBoolean("is_first_party", client.IsFirstParty);
        ClientDisabledMember.Write(writer, client);
        writer.WriteBoolean("oidc_conformant", true);
        writer.WriteString("app_type", AppType(client));
        writer.WriteString(OAuthConstants.Metadata.TokenEndpointAuthMethod, client.TokenEndpointAuthMethod);
        WriteArray(writer, Callbacks, client.RedirectUris);
        WriteArray(writer, OAuthConstants.Metadata.GrantTypes, client.GrantTypes);
        if (client.LogoUri is not null)
        {
            writer.WriteString(LogoUri, client.LogoUri);
        }

        writer.WriteString("created_at", client.CreatedAt);
        if (client.LastUsedAt is { } lastUsed)
        {
            writer.WriteString("last_used_at", lastUsed);
        }
        else
        {
            writer.WriteNull("last_used_at");
        }

        writer.WriteEndObject();
    }

    private static string AppType(Client client) => client switch
    {
        { ApplicationType: OAuthConstants.ApplicationTypes.Native } => "native",
        { RedirectUris.Count: 0 } => "non_interactive",
        _ => "regular_web",
    };

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
