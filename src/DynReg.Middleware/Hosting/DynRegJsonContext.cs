using System.Text.Json.Serialization;
using DynReg.Middleware.Discovery;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Registration;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// The package's one source-generated JSON context. Names the specifications fix are
/// spelled out with <c>[JsonPropertyName]</c>; the host's JSON options are never touched.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(RegistrationResponse))]
[JsonSerializable(typeof(DiscoveryDocument))]
[JsonSerializable(typeof(JwksDocument))]
[JsonSerializable(typeof(DynReg.Middleware.Tokens.TokenResponse))]
internal sealed partial class DynRegJsonContext : JsonSerializerContext;
