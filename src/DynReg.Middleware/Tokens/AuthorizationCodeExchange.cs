using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.Logging;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// The authorization-code grant (RFC 6749 §4.1.3 with RFC 7636 §4.6): a single-use code bound to
/// the client, the redirect URI and the PKCE challenge.
/// </summary>
internal sealed class AuthorizationCodeExchange(AuthorizationCodes codes, UserTokenResponses tokens, ILogger<TokenHandler> logger)
{
    private const string InvalidCode = "The code is invalid, expired or already used.";

    public async Task<TokenGrantResult> ExchangeAsync(Client client, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        if (!parameters.TryGetValue(Parameters.Code, out var code) || code.Length == 0)
        {
            return TokenGrantResult.Refused(Errors.InvalidRequest, "code is required.");
        }

        switch (await codes.RedeemAsync(code, cancellationToken))
        {
            case CodeRedemption.Replayed:
                // T10: the tokens of the first redemption are revoked by now (RFC 6749 §10.5).
                Log.CodeReplay(logger);
                return TokenGrantResult.InvalidGrant(InvalidCode);
            case CodeRedemption.Redeemed(var grant, var familyId):
                return await IssueAsync(client, grant, familyId, parameters, cancellationToken);
            default:
                return TokenGrantResult.InvalidGrant(InvalidCode);
        }
    }

    // The code is spent whatever happens next: a code presented with the wrong client, redirect URI
    // or verifier must not stay usable (RFC 6749 §4.1.2).
    private async Task<TokenGrantResult> IssueAsync(
        Client client, Authorization.AuthorizationCodeGrant grant, string familyId, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        if (grant.ClientId != client.ClientId)
        {
            return TokenGrantResult.InvalidGrant("The code was issued to another client.");
        }

        if (!parameters.TryGetValue(Parameters.RedirectUri, out var redirectUri) || redirectUri != grant.RedirectUri)
        {
            return TokenGrantResult.InvalidGrant("redirect_uri must be the one of the authorization request.");
        }

        parameters.TryGetValue(Parameters.CodeVerifier, out var verifier);
        if (Pkce.Check(grant.CodeChallenge, verifier) is { } pkceProblem)
        {
            return TokenGrantResult.InvalidGrant(pkceProblem);
        }

        if (ResourceIndicators.CheckAgainstGrant(parameters, grant.Audience) is { } targetProblem)
        {
            return TokenGrantResult.Refused(Errors.InvalidTarget, targetProblem);
        }

        // A refresh token only to a client registered for the grant; an OpenID Connect request asks for
        // it with offline_access (OpenID Connect Core §11), a plain OAuth one (no openid scope: MCP
        // clients, RFC 6749 §1.5) gets one whenever the client may refresh.
        var wantsRefresh = grant.Scopes.Contains(Scopes.OfflineAccess) || !grant.Scopes.Contains(Scopes.OpenId);
        var refreshFamily = wantsRefresh && client.GrantTypes.Contains(GrantTypes.RefreshToken) ? familyId : null;
        return await tokens.IssueAsync(client, grant.User, grant.Scopes, grant.Audience, grant.Nonce, refreshFamily, GrantTypes.AuthorizationCode, cancellationToken);
    }
}
