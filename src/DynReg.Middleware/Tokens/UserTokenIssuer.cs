using System.Security.Cryptography;
using System.Text;
using DynReg.Middleware.Authorization;
using DynReg.Middleware.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// Access and ID tokens for signed-in users (OpenID Connect Core §2, §3.2.2.10), RS256 with
/// the current key, plus what the host's <see cref="ITokenClaimsContributor"/>s add.
/// </summary>
internal sealed class UserTokenIssuer(
    SigningKeyRing keys,
    IOptions<DynamicRegistrationOptions> options,
    TimeProvider time,
    IEnumerable<ITokenClaimsContributor> contributors,
    ILogger<UserTokenIssuer> logger)
{
    // Names a contributor may never set: the protocol owns them.
    private static readonly HashSet<string> ReservedClaims = new(StringComparer.Ordinal)
    {
        "iss", "sub", "aud", "azp", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "at_hash", "c_hash", "scope", "gty",
        "email", "email_verified", "name", "nickname", "picture", "acr", "amr", "sid",
    };

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly DynamicRegistrationOptions _options = options.Value;
    private readonly ITokenClaimsContributor[] _contributors = [.. contributors];

    /// <summary>The issuer exactly as discovery prints it (RFC 9207 §2 compares it byte for byte).</summary>
    public string Issuer => _options.Issuer!.AbsoluteUri;

    /// <summary><c>{issuer}userinfo</c>: added to the audience when <c>openid</c> is asked, as Auth0 does.</summary>
    public string UserInfoAudience => Issuer + "userinfo";

    public TimeSpan AccessTokenLifetime => _options.AccessTokenLifetime;

    public async Task<string> IssueAccessTokenAsync(SignedInUser user, string clientId, string? audience, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var audiences = new List<string>(2);
        if (audience is not null)
        {
            audiences.Add(audience);
        }

        if (scopes.Contains(Scopes.OpenId) || audiences.Count == 0)
        {
            audiences.Add(UserInfoAudience);
        }

        var now = time.GetUtcNow();
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = user.Subject,
            [JwtRegisteredClaimNames.Aud] = audiences.Count == 1 ? audiences[0] : audiences.ToArray(),
            [JwtRegisteredClaimNames.Azp] = clientId,
            [JwtRegisteredClaimNames.Jti] = SecureRandom.Base64Url(16),
            ["scope"] = string.Join(' ', scopes),
        };
        await AddContributedClaimsAsync(TokenKind.AccessToken, user, clientId, audience, scopes, claims, cancellationToken);
        return Create(claims, now, now + _options.AccessTokenLifetime, "at+jwt");
    }

    public async Task<string> IssueIdTokenAsync(SignedInUser user, string clientId, string? nonce, string? accessToken, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = user.Subject,
            [JwtRegisteredClaimNames.Aud] = clientId,
            [JwtRegisteredClaimNames.Azp] = clientId,
            [JwtRegisteredClaimNames.AuthTime] = user.AuthTime.ToUnixTimeSeconds(),
        };
        if (nonce is not null)
        {
            claims[JwtRegisteredClaimNames.Nonce] = nonce;
        }

        if (accessToken is not null)
        {
            claims["at_hash"] = LeftHalfHash(accessToken);
        }

        AddProfileClaims(user, scopes, claims);
        await AddContributedClaimsAsync(TokenKind.IdToken, user, clientId, null, scopes, claims, cancellationToken);
        return Create(claims, now, now + _options.IdTokenLifetime, "JWT");
    }

    /// <summary>OpenID Connect Core §5.4: profile and email claims per scope.</summary>
    public static void AddProfileClaims(SignedInUser user, IReadOnlyList<string> scopes, IDictionary<string, object> claims)
    {
        if (scopes.Contains(Scopes.Profile))
        {
            AddIfPresent(claims, "name", user.Name);
            AddIfPresent(claims, "nickname", user.Nickname);
            AddIfPresent(claims, "picture", user.Picture);
        }

        if (scopes.Contains(Scopes.Email) && user.Email is not null)
        {
            claims["email"] = user.Email;
            claims["email_verified"] = user.EmailVerified;
        }
    }

    // OpenID Connect Core §3.2.2.10: base64url of the left half of SHA-256 of the ASCII token.
    private static string LeftHalfHash(string token)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(token));
        return Base64UrlEncoder.Encode(hash, 0, hash.Length / 2);
    }

    private async Task AddContributedClaimsAsync(
        TokenKind kind, SignedInUser user, string clientId, string? audience, IReadOnlyList<string> scopes, Dictionary<string, object> claims, CancellationToken cancellationToken)
    {
        foreach (var contributor in _contributors)
        {
            var context = new TokenClaimsContext
            {
                Kind = kind,
                ClientId = clientId,
                Subject = user.Subject,
                ConnectionName = user.ConnectionName,
                Scopes = scopes,
                Audience = audience,
            };
            await contributor.ContributeAsync(context, cancellationToken);
            foreach (var (name, value) in context.Claims)
            {
                // Auth0's rule: custom claims are namespaced by a URL; standard claims are never overridden.
                var namespaced = name.StartsWith("https://", StringComparison.Ordinal) || name.StartsWith("http://", StringComparison.Ordinal);
                if (!namespaced || ReservedClaims.Contains(name) || claims.ContainsKey(name))
                {
                    Log.CustomClaimDropped(logger, name, contributor.GetType().Name);
                    continue;
                }

                claims[name] = value;
            }
        }
    }

    private string Create(Dictionary<string, object> claims, DateTimeOffset issuedAt, DateTimeOffset expires, string type)
        => Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = issuedAt.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = keys.Current,
            TokenType = type,
            Claims = claims,
        });

    private static void AddIfPresent(IDictionary<string, object> claims, string name, string? value)
    {
        if (value is not null)
        {
            claims[name] = value;
        }
    }
}
