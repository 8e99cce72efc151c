using DynReg.Middleware.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// Issues RS256 JWT access tokens (RFC 9068 shape, Auth0's claims) with the current signing key.
/// </summary>
internal sealed class AccessTokenIssuer(SigningKeyRing keys, IOptions<DynamicRegistrationOptions> options, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly string _issuer = options.Value.Issuer!.AbsoluteUri;
    private readonly TimeSpan _lifetime = options.Value.AccessTokenLifetime;

    public TimeSpan Lifetime => _lifetime;

    /// <summary>A token for a machine-to-machine client: <c>sub</c> is <c>{client_id}@clients</c>, as on Auth0.</summary>
    public string IssueForClient(string clientId, string audience, IReadOnlyCollection<string> scopes)
    {
        var now = time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = _issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = null,
            Expires = now.Add(_lifetime).UtcDateTime,
            SigningCredentials = keys.Current,
            TokenType = "at+jwt",
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = clientId + "@clients",
                [JwtRegisteredClaimNames.Azp] = clientId,
                [JwtRegisteredClaimNames.Jti] = SecureRandom.Base64Url(16),
                ["scope"] = string.Join(' ', scopes),
                ["gty"] = "client-credentials",
            },
        };
        return Handler.CreateToken(descriptor);
    }
}
