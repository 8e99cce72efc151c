using System.Text.Json.Serialization;

namespace DynReg.Middleware.Protocol;

/// <summary>The error body of RFC 6749 §5.2 and RFC 7591 §3.2.2.</summary>
internal sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? Description);
