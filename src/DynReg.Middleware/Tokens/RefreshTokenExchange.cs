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

        // RFC 6749 §6: a narrower scope may be asked, never a wider one.
        var scopes = grant.Scopes;
        if (parameters.TryGetValue(Parameters.Scope, out var requested) && requested.Trim().Length > 0)
        {
            var asked = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
            if (asked.Any(s => !grant.Scopes.Contains(s)))
            {
                return TokenGrantResult.Refused(Errors.InvalidScope, "The scope may not be wider than the original grant.");
            }

            scopes = asked;
        }

        return await tokens.IssueAsync(client, grant.User, scopes, grant.Audience, nonce: null, grant.FamilyId, GrantTypes.RefreshToken, cancellationToken, grant.Scopes);
    }

    private async Task<bool> UserStillActiveAsync(SignedInUser user, CancellationToken cancellationToken)
    {
        var connection = await connections.FindByNameAsync(user.ConnectionName, cancellationToken);
        var authenticator = connection is null ? null : authenticators.FirstOrDefault(a => a.Strategy == connection.Strategy);
        return authenticator is not null && await authenticator.FindBySubjectAsync(connection!, user.Subject, cancellationToken) is not null;
    }
}
