using DynReg.Middleware.Authorization;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Users;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// <c>POST /oauth/token</c>: read parameters → grant type → authenticate the client →
/// the grant's own rules → token. Errors are RFC 6749 §5.2 JSON, <c>no-store</c>.
/// </summary>
internal sealed class TokenHandler(
    ClientAuthenticator authenticator,
    ApiRegistry apis,
    AccessTokenIssuer issuer,
    UserTokenIssuer userTokens,
    ProtocolStateRepository state,
    IConnectionStore connections,
    IEnumerable<IUserAuthenticator> authenticators,
    ClientUsage usage,
    IOptions<DynamicRegistrationOptions> options,
    Hosting.DynRegMetrics metrics,
    ILogger<TokenHandler> logger)
{
    private const string AudienceParameter = Parameters.Audience;
    private const string ScopeParameter = Parameters.Scope;
    private const string GrantTypeParameter = Parameters.GrantType;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var read = await ProtocolParameters.ReadAsync(context.Request, cancellationToken);
        if (read.Parameters is not { } parameters)
        {
            return Reject(read.StatusCode, Errors.InvalidRequest, read.Error);
        }

        if (!parameters.TryGetValue(GrantTypeParameter, out var grantType) || grantType.Length == 0)
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidRequest, "grant_type is required.");
        }

        // RFC 6749 §5.2: a grant type this server does not offer.
        if (grantType is not (GrantTypes.ClientCredentials or GrantTypes.AuthorizationCode or GrantTypes.RefreshToken))
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.UnsupportedGrantType, $"Unsupported grant_type '{Shorten(grantType)}'.");
        }

        var authentication = await authenticator.AuthenticateAsync(context.Request, parameters, cancellationToken);
        if (authentication.Client is not { } client)
        {
            if (authentication.Error == Errors.InvalidClient)
            {
                // RFC 6749 §5.2: 401, with a Basic challenge when the client tried the Authorization header.
                if (authentication.BasicChallenge)
                {
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"oauth\", charset=\"UTF-8\"";
                }

                return Reject(StatusCodes.Status401Unauthorized, Errors.InvalidClient, authentication.Description);
            }

            return Reject(StatusCodes.Status400BadRequest, authentication.Error!, authentication.Description);
        }

        // T7: the grant must be one the client registered.
        if (!client.GrantTypes.Contains(grantType))
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.UnauthorizedClient, $"The client may not use the {grantType} grant.");
        }

        var result = grantType switch
        {
            GrantTypes.AuthorizationCode => await AuthorizationCodeAsync(client, parameters, context.RequestAborted),
            GrantTypes.RefreshToken => await RefreshTokenAsync(client, parameters, context.RequestAborted),
            _ => await ClientCredentialsAsync(client, authentication.Method!, parameters),
        };

        // last_used_at: a token was issued.
        if (result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK })
        {
            await usage.RecordAsync(client, context.RequestAborted);
        }

        return result;
    }

    // RFC 6749 §4.1.3 with RFC 7636 §4.6: single-use code bound to client, redirect URI and challenge.
    private async Task<IResult> AuthorizationCodeAsync(Client client, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        if (!parameters.TryGetValue(Parameters.Code, out var code) || code.Length == 0)
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidRequest, "code is required.");
        }

        var grant = await state.RedeemCodeAsync(code, cancellationToken);
        if (grant is null)
        {
            // T10: a replayed code also revokes the refresh tokens it produced (RFC 6749 §10.5).
            var (replayed, familyId) = await state.FindRedeemedCodeAsync(code, cancellationToken);
            if (replayed)
            {
                Log.CodeReplay(logger);
                if (familyId is not null)
                {
                    await state.RevokeFamilyAsync(familyId, RefreshLifetime, cancellationToken);
                }
            }

            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidGrant, "The code is invalid, expired or already used.");
        }

        // Remember the redemption before anything can fail, so a replay is recognised.
        var familyForCode = grant.Scopes.Contains(Scopes.OfflineAccess) && client.GrantTypes.Contains(GrantTypes.RefreshToken) ? SecureRandom.Base64Url(16) : null;
        await state.MarkCodeRedeemedAsync(code, familyForCode, cancellationToken);

        if (grant.ClientId != client.ClientId)
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidGrant, "The code was issued to another client.");
        }

        if (!parameters.TryGetValue(Parameters.RedirectUri, out var redirectUri) || redirectUri != grant.RedirectUri)
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidGrant, "redirect_uri must be the one of the authorization request.");
        }

        parameters.TryGetValue(Parameters.CodeVerifier, out var verifier);
        if (Pkce.Check(grant.CodeChallenge, verifier) is { } pkceProblem)
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidGrant, pkceProblem);
        }

        return await UserTokensAsync(client, grant.User, grant.Scopes, grant.Audience, grant.Nonce, familyForCode, GrantTypes.AuthorizationCode, cancellationToken);
    }

    // RFC 6749 §6 with rotation: each refresh token works once; a second use revokes its family (RFC 9700 §4.14.2).
    private async Task<IResult> RefreshTokenAsync(Client client, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        if (!parameters.TryGetValue(Parameters.RefreshToken, out var refreshToken) || refreshToken.Length == 0)
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidRequest, "refresh_token is required.");
        }

        var grant = await state.RedeemRefreshTokenAsync(refreshToken, cancellationToken);
        if (grant is null)
        {
            if (await state.FindUsedRefreshTokenFamilyAsync(refreshToken, cancellationToken) is { } reusedFamily)
            {
                Log.RefreshTokenReuse(logger);
                await state.RevokeFamilyAsync(reusedFamily, RefreshLifetime, cancellationToken);
            }

            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidGrant, "The refresh token is invalid, expired or already used.");
        }

        await state.MarkRefreshTokenUsedAsync(refreshToken, grant.FamilyId, RefreshLifetime, cancellationToken);
        if (grant.ClientId != client.ClientId || await state.IsFamilyRevokedAsync(grant.FamilyId, cancellationToken))
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidGrant, "The refresh token is invalid, expired or already used.");
        }

        // A refresh token outlives the sign-in: the user must still exist and not be blocked.
        if (!await UserStillActiveAsync(grant.User, cancellationToken))
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidGrant, "The user of this refresh token is no longer active.");
        }

        // RFC 6749 §6: a narrower scope may be asked, never a wider one.
        var scopes = grant.Scopes;
        if (parameters.TryGetValue(Parameters.Scope, out var requested) && requested.Trim().Length > 0)
        {
            var asked = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
            if (asked.Any(s => !grant.Scopes.Contains(s)))
            {
                return Reject(StatusCodes.Status400BadRequest, Errors.InvalidScope, "The scope may not be wider than the original grant.");
            }

            scopes = asked;
        }

        return await UserTokensAsync(client, grant.User, scopes, grant.Audience, nonce: null, grant.FamilyId, GrantTypes.RefreshToken, cancellationToken, grant.Scopes);
    }

    private async Task<bool> UserStillActiveAsync(SignedInUser user, CancellationToken cancellationToken)
    {
        var connection = await connections.FindByNameAsync(user.ConnectionName, cancellationToken);
        var authenticator = connection is null ? null : authenticators.FirstOrDefault(a => a.Strategy == connection.Strategy);
        return authenticator is not null && await authenticator.FindBySubjectAsync(connection!, user.Subject, cancellationToken) is not null;
    }

    private async Task<IResult> UserTokensAsync(
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
            : await state.CreateRefreshTokenAsync(new RefreshTokenGrant
            {
                FamilyId = refreshFamily,
                ClientId = client.ClientId,
                Scopes = refreshScopes ?? scopes,
                Audience = audience,
                User = user,
            }, RefreshLifetime, cancellationToken);

        Log.TokenIssued(logger, client.ClientId, grantType, audience ?? userTokens.UserInfoAudience);
        metrics.TokenIssued(grantType);
        return ProtocolResults.Json(new TokenResponse
        {
            AccessToken = accessToken,
            IdToken = idToken,
            RefreshToken = refreshToken,
            ExpiresIn = (long)userTokens.AccessTokenLifetime.TotalSeconds,
            Scope = string.Join(' ', scopes),
        }, Hosting.DynRegJsonContext.Default.TokenResponse);
    }

    // RFC 6749 §4.4 with Auth0's client grants deciding audience and scopes.
    private Task<IResult> ClientCredentialsAsync(Client client, string method, IReadOnlyDictionary<string, string> parameters)
    {
        // §4.4: confidential clients only (T8). Dynamically registered clients never get it, whatever
        // their stored record says: registration refuses the grant, but a record edited in (or imported
        // into) a store must not turn a third-party client into a Management API caller.
        if (method == ClientAuthenticationMethods.None || client.IsDynamicallyRegistered)
        {
            return Task.FromResult(Reject(StatusCodes.Status400BadRequest, Errors.UnauthorizedClient,
                "The client may not use the client_credentials grant."));
        }

        if (!parameters.TryGetValue(AudienceParameter, out var audience) || audience.Length == 0)
        {
            return Task.FromResult(Reject(StatusCodes.Status400BadRequest, Errors.InvalidRequest, "audience is required."));
        }

        // Auth0 answers 403 access_denied, with these words, for an unknown API or a missing client grant.
        if (apis.Find(audience) is not { } api)
        {
            return Task.FromResult(Reject(StatusCodes.Status403Forbidden, Errors.AccessDenied, $"Service not found: {Shorten(audience)}"));
        }

        var grant = client.ClientGrants.FirstOrDefault(g => g.Audience == api.Identifier);
        if (grant is null)
        {
            return Task.FromResult(Reject(StatusCodes.Status403Forbidden, Errors.AccessDenied,
                $"Client is not authorized to access \"{api.Identifier}\". You need to create a \"client-grant\" associated to this API."));
        }

        var granted = grant.Scopes.Where(api.Scopes.Contains).ToArray();
        string[] scopes;
        if (parameters.TryGetValue(ScopeParameter, out var requested) && requested.Trim().Length > 0)
        {
            scopes = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
            var notGranted = scopes.Where(s => !granted.Contains(s, StringComparer.Ordinal)).ToArray();
            if (notGranted.Length > 0)
            {
                // Never wider than the grant (RFC 6749 §3.3): refuse rather than silently narrow.
                return Task.FromResult(Reject(StatusCodes.Status400BadRequest, Errors.InvalidScope,
                    $"The client is not granted these scopes for {api.Identifier}: {Shorten(string.Join(' ', notGranted))}"));
            }
        }
        else
        {
            scopes = granted;
        }

        var token = issuer.IssueForClient(client.ClientId, api.Identifier, scopes);
        Log.TokenIssued(logger, client.ClientId, GrantTypes.ClientCredentials, api.Identifier);
        metrics.TokenIssued(GrantTypes.ClientCredentials);

        // §4.4.3: no refresh token for client credentials.
        return Task.FromResult(ProtocolResults.Json(new TokenResponse
        {
            AccessToken = token,
            ExpiresIn = (long)issuer.Lifetime.TotalSeconds,
            Scope = string.Join(' ', scopes),
        }, Hosting.DynRegJsonContext.Default.TokenResponse));
    }

    private IResult Reject(int statusCode, string error, string? description)
    {
        Log.TokenRequestRejected(logger, error, description);
        return ProtocolResults.Error(statusCode, error, description);
    }

    private TimeSpan RefreshLifetime => options.Value.RefreshTokenLifetime;

    private static string Shorten(string value) => Protocol.QuotedValue.Shorten(value);
}
