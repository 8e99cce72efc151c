using DynReg.Middleware.Authorization;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Users;
using Microsoft.Extensions.Logging;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// The refresh-token grant (RFC 6749 §6) with rotation: each refresh token works once, and a
/// second use revokes its family (RFC 9700 §4.14.2).
/// </summary>
internal sealed class RefreshTokenExchange(
    RefreshTokens refreshTokens,
    UserTokenResponses tokens,
    IConnectionStore connections,
    IEnumerable<IUserAuthenticator> authenticators,
    ILogger<TokenHandler> logger)
{
    private const string InvalidToken = "The refresh token is invalid, expired or already used.";

    public async Task<TokenGrantResult> ExchangeAsync(Client client, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        if (!parameters.TryGetValue(Parameters.RefreshToken, out var refreshToken) || refreshToken.Length == 0)
        {
            return TokenGrantResult.Refused(Errors.InvalidRequest, "refresh_token is required.");
        }

        // A request for more than the grant is refused before the token is used up (it stays the client's).
        if (await refreshTokens.PeekAsync(refreshToken, cancellationToken) is { } live && live.ClientId == client.ClientId
            && Narrow(live, parameters, out _) is { } refusal)
        {
            return refusal;
        }

        switch (await refreshTokens.RotateAsync(refreshToken, cancellationToken))
        {
            case RefreshRotation.Reused:
                Log.RefreshTokenReuse(logger);
                return TokenGrantResult.InvalidGrant(InvalidToken);
            case RefreshRotation.Rotated(var grant) when grant.ClientId == client.ClientId:
                return await IssueAsync(client, grant, parameters, cancellationToken);
            default:
                return TokenGrantResult.InvalidGrant(InvalidToken);
        }
    }

    private async Task<TokenGrantResult> IssueAsync(Client client, RefreshTokenGrant grant, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        // A refresh token outlives the sign-in: the user must still exist and not be blocked.
        if (!await UserStillActiveAsync(grant.User, cancellationToken))
        {
            return TokenGrantResult.InvalidGrant("The user of this refresh token is no longer active.");
        }

        if (Narrow(grant, parameters, out var scopes) is { } refusal)
        {
            return refusal;
        }

        return await tokens.IssueAsync(client, grant.User, scopes, grant.Audience, nonce: null, grant.FamilyId, GrantTypes.RefreshToken, cancellationToken, grant.Scopes);
    }

    // RFC 6749 §6 and RFC 8707 §2.2: a narrower scope or the granted resource may be asked, never more.
    private static TokenGrantResult? Narrow(RefreshTokenGrant grant, IReadOnlyDictionary<string, string> parameters, out IReadOnlyList<string> scopes)
    {
        scopes = grant.Scopes;
        if (ResourceIndicators.CheckAgainstGrant(parameters, grant.Audience) is { } targetProblem)
        {
            return TokenGrantResult.Refused(Errors.InvalidTarget, targetProblem);
        }

        if (parameters.TryGetValue(Parameters.Scope, out var requested) && requested.Trim().Length > 0)
        {
            var asked = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
            if (asked.Any(s => !grant.Scopes.Contains(s)))
            {
                return TokenGrantResult.Refused(Errors.InvalidScope, "The scope may not be wider than the original grant.");
            }

            scopes = asked;
        }

        return null;
    }

    private async Task<bool> UserStillActiveAsync(SignedInUser user, CancellationToken cancellationToken)
    {
        var connection = await connections.FindByNameAsync(user.ConnectionName, cancellationToken);
        var authenticator = connection is null ? null : authenticators.FirstOrDefault(a => a.Strategy == connection.Strategy);
        return authenticator is not null && await authenticator.FindBySubjectAsync(connection!, user.Subject, cancellationToken) is not null;
    }
}
