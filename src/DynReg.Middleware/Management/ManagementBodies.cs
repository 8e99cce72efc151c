using System.Text.Json;
using System.Text.Json.Serialization;

namespace DynReg.Middleware.Management;

// The Management API's bodies, member for member in the order Auth0 documents them
// (https://auth0.com/docs/api/management/v2). Written through DynRegJsonContext only.

/// <summary>Auth0's error shape: <c>{statusCode, error, message, errorCode}</c>.</summary>
internal sealed record Auth0ErrorBody(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("errorCode")] string ErrorCode);

/// <summary>A client (<c>GET /api/v2/clients/{id}</c>); <c>client_secret</c> only in the answer that rotated it.</summary>
internal sealed record ManagementClientBody
{
    [JsonPropertyName("client_id")]
    public required string ClientId { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("client_secret")]
    public string? ClientSecret { get; init; }

    [JsonPropertyName("is_first_party")]
    public required bool IsFirstParty { get; init; }

    /// <summary>Not Auth0's: backs the "new clients disabled until enabled" registration policy.</summary>
    [JsonPropertyName(ClientDisabledMember.Name)]
    public required bool IsDisabled { get; init; }

    [JsonPropertyName("oidc_conformant")]
    public bool OidcConformant => true;

    [JsonPropertyName("app_type")]
    public required string AppType { get; init; }

    [JsonPropertyName("token_endpoint_auth_method")]
    public required string TokenEndpointAuthMethod { get; init; }

    [JsonPropertyName("callbacks")]
    public required IReadOnlyList<string> Callbacks { get; init; }

    [JsonPropertyName("grant_types")]
    public required IReadOnlyList<string> GrantTypes { get; init; }

    [JsonPropertyName("logo_uri")]
    public string? LogoUri { get; init; }

    [JsonPropertyName("created_at")]
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Always present: null until the client is first used.</summary>
    [JsonPropertyName("last_used_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset? LastUsedAt { get; init; }
}

/// <summary><c>GET /api/v2/clients?include_totals=true</c>.</summary>
internal sealed record ManagementClientPage(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("clients")] IReadOnlyList<ManagementClientBody> Clients);

/// <summary>A connection (<c>GET /api/v2/connections/{id}</c>).</summary>
internal sealed record ManagementConnectionBody
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("strategy")]
    public required string Strategy { get; init; }

    [JsonPropertyName("is_domain_connection")]
    public required bool IsDomainConnection { get; init; }

    [JsonPropertyName("enabled_clients")]
    public required IReadOnlyList<string> EnabledClients { get; init; }

    /// <summary>Each option as the JSON the owner stored, written back as it is.</summary>
    [JsonPropertyName("options")]
    [JsonConverter(typeof(RawJsonValuesConverter))]
    public required IReadOnlyDictionary<string, string> Options { get; init; }

    /// <summary>Auth0: a database connection's realm is its name.</summary>
    [JsonPropertyName("realms")]
    public IReadOnlyList<string> Realms => [Name];
}

/// <summary><c>GET /api/v2/connections?include_totals=true</c>.</summary>
internal sealed record ManagementConnectionPage(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("connections")] IReadOnlyList<ManagementConnectionBody> Connections);

/// <summary><c>GET /api/v2/tenants/settings</c>: the members this package serves.</summary>
internal sealed record ManagementTenantSettingsBody(
    [property: JsonPropertyName("flags")] ManagementTenantFlags Flags,
    [property: JsonPropertyName("dynamic_client_registration_security_mode")] string SecurityMode,
    [property: JsonPropertyName("friendly_name")] string? FriendlyName);

/// <summary>The tenant's <c>flags</c> object.</summary>
internal sealed record ManagementTenantFlags(
    [property: JsonPropertyName("enable_dynamic_client_registration")] bool EnableDynamicClientRegistration);

/// <summary>Writes a map of raw JSON texts as an object whose values are those texts, checked but not re-encoded.</summary>
internal sealed class RawJsonValuesConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => throw new NotSupportedException("Connection options are read by the Management API's own body reader.");

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, rawJson) in value)
        {
            writer.WritePropertyName(key);
            writer.WriteRawValue(rawJson, skipInputValidation: false);
        }

        writer.WriteEndObject();
    }
}
