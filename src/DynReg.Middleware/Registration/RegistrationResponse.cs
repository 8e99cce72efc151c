using System.Text.Json.Serialization;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Registration;

/// <summary>The 201 body of RFC 7591 §3.2.1: every registered member, defaults included.</summary>
internal sealed record RegistrationResponse
{
    [JsonPropertyName("client_id")]
    public required string ClientId { get; init; }

    /// <summary>
    /// The answer for a client just stored: every registered member, defaults included (RFC 7591
    /// §3.2.1), and <paramref name="secret"/>, the one time it is shown.
    /// </summary>
    public static RegistrationResponse From(Client client, string? secret) => new()
    {
        ClientId = client.ClientId,
        ClientSecret = secret,
        ClientIdIssuedAt = client.CreatedAt.ToUnixTimeSeconds(),
        ClientSecretExpiresAt = secret is null ? null : 0,
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
        Contacts = client.Contacts.Count == 0 ? null : client.Contacts,
        Scope = client.Scope,
    };

    /// <summary>Shown once; only its hash is stored. Absent for <c>none</c> (public) clients.</summary>
    [JsonPropertyName("client_secret")]
    public string? ClientSecret { get; init; }

    [JsonPropertyName("client_id_issued_at")]
    public long ClientIdIssuedAt { get; init; }

    /// <summary>REQUIRED with a secret (RFC 7591 §3.2.1); 0 means it never expires, as on Auth0.</summary>
    [JsonPropertyName("client_secret_expires_at")]
    public long? ClientSecretExpiresAt { get; init; }

    /// <summary>RFC 7591 §2 <c>scope</c>, as registered (the client's own or a policy's default).</summary>
    [JsonPropertyName("scope")]
    public string? Scope { get; init; }

    [JsonPropertyName("client_name")]
    public string? ClientName { get; init; }

    [JsonPropertyName("redirect_uris")]
    public required IReadOnlyList<string> RedirectUris { get; init; }

    [JsonPropertyName("token_endpoint_auth_method")]
    public required string TokenEndpointAuthMethod { get; init; }

    [JsonPropertyName("grant_types")]
    public required IReadOnlyList<string> GrantTypes { get; init; }

    [JsonPropertyName("response_types")]
    public required IReadOnlyList<string> ResponseTypes { get; init; }

    [JsonPropertyName("application_type")]
    public required string ApplicationType { get; init; }

    [JsonPropertyName("client_uri")]
    public string? ClientUri { get; init; }

    [JsonPropertyName("logo_uri")]
    public string? LogoUri { get; init; }

    [JsonPropertyName("policy_uri")]
    public string? PolicyUri { get; init; }

    [JsonPropertyName("tos_uri")]
    public string? TosUri { get; init; }

    /// <summary>Omitted when empty.</summary>
    [JsonPropertyName("contacts")]
    public IReadOnlyList<string>? Contacts { get; init; }
}
