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
[JsonSerializable(typeof(DynReg.Middleware.Authorization.LoginTransaction))]
[JsonSerializable(typeof(DynReg.Middleware.Authorization.LoginTicket))]
[JsonSerializable(typeof(DynReg.Middleware.Authorization.AuthorizationCodeGrant))]
[JsonSerializable(typeof(DynReg.Middleware.Authorization.RefreshTokenGrant))]
internal sealed partial class DynRegJsonContext : JsonSerializerContext;
