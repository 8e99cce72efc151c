using System.Text.Json.Serialization;
using DynReg.Middleware.Discovery;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Registration;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// The package's one source-generated JSON context. Names the specifications fix are
/// spelled out with <c>[JsonPropertyName]</c>; the host's JSON options are never touched nor
/// read, so a host's naming policy or a host without reflection serialisation changes no answer.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(RegistrationResponse))]
[JsonSerializable(typeof(DiscoveryDocument))]
[JsonSerializable(typeof(JwksDocument))]
[JsonSerializable(typeof(DynReg.Middleware.Tokens.TokenResponse))]
[JsonSerializable(typeof(DynReg.Middleware.Management.Auth0ErrorBody))]
[JsonSerializable(typeof(DynReg.Middleware.Management.ManagementClientBody))]
[JsonSerializable(typeof(IReadOnlyList<DynReg.Middleware.Management.ManagementClientBody>))]
[JsonSerializable(typeof(DynReg.Middleware.Management.ManagementClientPage))]
[JsonSerializable(typeof(DynReg.Middleware.Management.ManagementConnectionBody))]
[JsonSerializable(typeof(IReadOnlyList<DynReg.Middleware.Management.ManagementConnectionBody>))]
[JsonSerializable(typeof(DynReg.Middleware.Management.ManagementConnectionPage))]
[JsonSerializable(typeof(DynReg.Middleware.Management.ManagementTenantSettingsBody))]
[JsonSerializable(typeof(DynReg.Middleware.Login.LockError))]
[JsonSerializable(typeof(DynReg.Middleware.Login.LockClientInfo))]
[JsonSerializable(typeof(DynReg.Middleware.Login.LockTenantInfo))]
[JsonSerializable(typeof(DynReg.Middleware.Login.LockValidationError))]
[JsonSerializable(typeof(DynReg.Middleware.Login.LockSsoData))]
[JsonSerializable(typeof(DynReg.Middleware.Login.LockChallenge))]

// The userinfo claims (OpenID Connect Core §5.3.2): string and boolean values, written by their runtime type.
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(DynReg.Middleware.Authorization.LoginTransaction))]
[JsonSerializable(typeof(DynReg.Middleware.Authorization.LoginTicket))]
[JsonSerializable(typeof(DynReg.Middleware.Authorization.AuthorizationCodeGrant))]
[JsonSerializable(typeof(DynReg.Middleware.Authorization.RefreshTokenGrant))]
internal sealed partial class DynRegJsonContext : JsonSerializerContext;
