using System.Text.Json.Serialization;

namespace DynReg.Middleware.Tokens;

/// <summary>RFC 6749 §5.1 successful token response.</summary>
internal sealed record TokenResponse
{
    [JsonPropertyName("access_token")]
    public required string AccessToken { get; init; }

    [JsonPropertyName("token_type")]
    public string TokenType { get; init; } = "Bearer";

    [JsonPropertyName("expires_in")]
    public long ExpiresIn { get; init; }

    /// <summary>With <c>openid</c> in the scope (OpenID Connect Core §3.1.3.3).</summary>
    [JsonPropertyName("id_token")]
    public string? IdToken { get; init; }

    /// <summary>Only for <c>offline_access</c> in the code flow; never for client credentials (RFC 6749 §4.4.3).</summary>
    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("scope")]
    public string? Scope { get; init; }
}
