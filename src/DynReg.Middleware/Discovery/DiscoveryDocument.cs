using System.Text.Json.Serialization;

namespace DynReg.Middleware.Discovery;

/// <summary>
/// OpenID Connect Discovery §3 metadata, served also as RFC 8414 authorization server metadata
/// (the same document: RFC 8414 §2 shares the members). Members are omitted rather than empty
/// (§4.2), and only endpoints this package serves are listed.
/// </summary>
internal sealed record DiscoveryDocument
{
    [JsonPropertyName("issuer")]
    public required string Issuer { get; init; }

    [JsonPropertyName("authorization_endpoint")]
    public required string AuthorizationEndpoint { get; init; }

    [JsonPropertyName("token_endpoint")]
    public required string TokenEndpoint { get; init; }

    [JsonPropertyName("userinfo_endpoint")]
    public required string UserInfoEndpoint { get; init; }

    [JsonPropertyName("jwks_uri")]
    public required string JwksUri { get; init; }

    /// <summary>Present only while the tenant flag is on (SPEC §4, node-oidc-provider's behaviour).</summary>
    [JsonPropertyName("registration_endpoint")]
    public string? RegistrationEndpoint { get; init; }

    [JsonPropertyName("scopes_supported")]
    public required IReadOnlyList<string> ScopesSupported { get; init; }

    [JsonPropertyName("response_types_supported")]
    public required IReadOnlyList<string> ResponseTypesSupported { get; init; }

    [JsonPropertyName("response_modes_supported")]
    public required IReadOnlyList<string> ResponseModesSupported { get; init; }

    [JsonPropertyName("grant_types_supported")]
    public required IReadOnlyList<string> GrantTypesSupported { get; init; }

    [JsonPropertyName("subject_types_supported")]
    public required IReadOnlyList<string> SubjectTypesSupported { get; init; }

    [JsonPropertyName("id_token_signing_alg_values_supported")]
    public required IReadOnlyList<string> IdTokenSigningAlgValuesSupported { get; init; }

    [JsonPropertyName("token_endpoint_auth_methods_supported")]
    public required IReadOnlyList<string> TokenEndpointAuthMethodsSupported { get; init; }

    [JsonPropertyName("code_challenge_methods_supported")]
    public required IReadOnlyList<string> CodeChallengeMethodsSupported { get; init; }

    [JsonPropertyName("claims_supported")]
    public required IReadOnlyList<string> ClaimsSupported { get; init; }

    /// <summary>Discovery §3 defaults this to true; we take no <c>request_uri</c>, so say so.</summary>
    [JsonPropertyName("request_uri_parameter_supported")]
    public bool RequestUriParameterSupported { get; init; }

    [JsonPropertyName("request_parameter_supported")]
    public bool RequestParameterSupported { get; init; }

    /// <summary>RFC 9207 §3: every authorization response carries <c>iss</c>.</summary>
    [JsonPropertyName("authorization_response_iss_parameter_supported")]
    public bool AuthorizationResponseIssParameterSupported { get; init; } = true;
}
