using DynReg.Middleware.Authorization;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// What one grant's rules came to: tokens to answer with, or an RFC 6749 §5.2 error. The token
/// endpoint writes either; it never has to infer success from an HTTP status.
/// </summary>
internal readonly record struct TokenGrantResult(TokenResponse? Response, int StatusCode, string Error, string? Description)
{
    public static TokenGrantResult Issued(TokenResponse response) => new(response, StatusCodes.Status200OK, string.Empty, null);

    public static TokenGrantResult Refused(string error, string? description, int statusCode = StatusCodes.Status400BadRequest)
        => new(null, statusCode, error, description);

    /// <summary>RFC 6749 §5.2 invalid_grant, the answer for any code or refresh token that does not work.</summary>
    public static TokenGrantResult InvalidGrant(string description) => Refused(Errors.InvalidGrant, description);
}

/// <summary>Issues a user's tokens, for the authorization-code and refresh-token grants alike.</summary>
internal sealed class UserTokenResponses(
    UserTokenIssuer userTokens,
    RefreshTokens refreshTokens,
    Hosting.DynRegMetrics metrics,
    ILogger<TokenHandler> logger)
{
    /// <summary>
    /// An access token for <paramref name="scopes"/>, an ID token when they include <c>openid</c>,
    /// and a refresh token in <paramref name="refreshFamily"/> when one is given; the refresh
    /// token keeps <paramref name="refreshScopes"/> (RFC 6749 §6: a narrowed refresh keeps the original grant).
    /// </summary>
    public async Task<TokenGrantResult> IssueAsync(
        Client client,
        SignedInUser user,
        IReadOnlyList<string> scopes,
        string? audience,
        string? nonce,
        string? refreshFamily,
        string grantType,
        CancellationToken cancellationToken,
        IReadOnlyList<string>? refreshScopes = null)
    {
        var accessToken = await userTokens.IssueAccessTokenAsync(user, client.ClientId, audience, scopes, cancellationToken);
        var idToken = scopes.Contains(Scopes.OpenId)
            ? await userTokens.IssueIdTokenAsync(user, client.ClientId, nonce, accessToken, scopes, cancellationToken)
            : null;
        var refreshToken = refreshFamily is null
            ? null
            : await refreshTokens.CreateAsync(new RefreshTokenGrant
            {
                FamilyId = refreshFamily,
                ClientId = client.ClientId,
                Scopes = refreshScopes ?? scopes,
                Audience = audience,
                User = user,
            }, cancellationToken);

        Log.TokenIssued(logger, client.ClientId, grantType, audience ?? userTokens.UserInfoAudience);
        metrics.TokenIssued(grantType);
        return TokenGrantResult.Issued(new TokenResponse
        {
            AccessToken = accessToken,
            IdToken = idToken,
            RefreshToken = refreshToken,
            ExpiresIn = (long)userTokens.AccessTokenLifetime.TotalSeconds,
            Scope = string.Join(' ', scopes),
        });
    }
}
