using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.Benchmarks.Baseline;

/// <summary>
/// The yardstick for client-credentials tokens: sign one RS256 JWT with the claims the
/// middleware puts in a machine-to-machine access token (<c>iss</c>, <c>aud</c>, <c>iat</c>,
/// <c>exp</c>, <c>sub</c> = <c>{client_id}@clients</c>, <c>azp</c>, <c>jti</c>, <c>scope</c>,
/// <c>gty</c>, header <c>typ</c> <c>at+jwt</c> and <c>kid</c>) and nothing else: no client
/// authentication, no grant or scope checks. Shared by the baseline web app and the in-process
/// benchmark, so both measure the same thing.
/// </summary>
internal sealed class BaselineToken
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly SigningCredentials _credentials;
    private readonly string _issuer;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public BaselineToken(RSA key, string issuer, TimeSpan lifetime, TimeProvider time)
    {
        // The kid is the key's RFC 7638 thumbprint, as the middleware names its keys: same header size.
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(includePrivateParameters: false)));
        var keyId = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
        _credentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);
        _issuer = issuer;
        _lifetime = lifetime;
        _time = time;
    }

    public TimeSpan Lifetime => _lifetime;

    public string Sign(string clientId, string audience, string scope)
    {
        var now = _time.GetUtcNow();
        Span<byte> jti = stackalloc byte[16];
        RandomNumberGenerator.Fill(jti);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            Expires = now.Add(_lifetime).UtcDateTime,
            SigningCredentials = _credentials,
            TokenType = "at+jwt",
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = clientId + "@clients",
                [JwtRegisteredClaimNames.Azp] = clientId,
                [JwtRegisteredClaimNames.Jti] = System.Buffers.Text.Base64Url.EncodeToString(jti),
                ["scope"] = scope,
                ["gty"] = "client-credentials",
            },
        });
    }
}

internal sealed record BaselineTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope);

[JsonSerializable(typeof(BaselineTokenResponse))]
internal sealed partial class BaselineTokenJsonContext : JsonSerializerContext;
