using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Tokens;

/// <summary>The client-credentials grant (RFC 6749 §4.4), with Auth0's client grants deciding audience and scopes.</summary>
internal sealed class ClientCredentialsExchange(ApiRegistry apis, AccessTokenIssuer issuer, Hosting.DynRegMetrics metrics, ILogger<TokenHandler> logger)
{
    public TokenGrantResult Exchange(Client client, string method, IReadOnlyDictionary<string, string> parameters)
    {
        // §4.4: confidential clients only (T8). Dynamically registered clients never get it, whatever
        // their stored record says: registration refuses the grant, but a record edited in (or imported
        // into) a store must not turn a third-party client into a Management API caller.
        if (method == ClientAuthenticationMethods.None || client.IsDynamicallyRegistered)
        {
            return TokenGrantResult.Refused(Errors.UnauthorizedClient, "The client may not use the client_credentials grant.");
        }

        // Auth0's audience, or an RFC 8707 resource (audience wins when both are sent).
        var target = ResourceIndicators.Read(parameters.GetValueOrDefault(Parameters.Audience), ResourceIndicators.Values(parameters));
        if (target.Error is { } targetProblem)
        {
            return TokenGrantResult.Refused(Errors.InvalidTarget, targetProblem);
        }

        if (target.Identifier is not { } audience)
        {
            return TokenGrantResult.Refused(Errors.InvalidRequest, "audience is required.");
        }

        // Auth0 answers 403 access_denied, with these words, for an unknown API or a missing client grant.
        if (apis.Find(audience) is not { } api)
        {
            if (target.FromResource)
            {
                return TokenGrantResult.Refused(Errors.InvalidTarget, ResourceIndicators.UnknownResource(audience));
            }

            return TokenGrantResult.Refused(Errors.AccessDenied, $"Service not found: {Protocol.QuotedValue.Shorten(audience)}", StatusCodes.Status403Forbidden);
        }

        var grant = client.ClientGrants.FirstOrDefault(g => g.Audience == api.Identifier);
        if (grant is null)
        {
            return TokenGrantResult.Refused(Errors.AccessDenied,
                $"Client is not authorized to access \"{api.Identifier}\". You need to create a \"client-grant\" associated to this API.",
                StatusCodes.Status403Forbidden);
        }

        var granted = grant.Scopes.Where(api.Scopes.Contains).ToArray();
        var scopes = granted;
        if (parameters.TryGetValue(Parameters.Scope, out var requested) && requested.Trim().Length > 0)
        {
            scopes = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
            var notGranted = scopes.Where(s => !granted.Contains(s, StringComparer.Ordinal)).ToArray();
            if (notGranted.Length > 0)
            {
                // Never wider than the grant (RFC 6749 §3.3): refuse rather than silently narrow.
                return TokenGrantResult.Refused(Errors.InvalidScope,
                    $"The client is not granted these scopes for {api.Identifier}: {Protocol.QuotedValue.Shorten(string.Join(' ', notGranted))}");
            }
        }

        var token = issuer.IssueForClient(client.ClientId, api.Identifier, scopes);
        Log.TokenIssued(logger, client.ClientId, GrantTypes.ClientCredentials, api.Identifier);
        metrics.TokenIssued(GrantTypes.ClientCredentials);

        // §4.4.3: no refresh token for client credentials.
        return TokenGrantResult.Issued(new TokenResponse
        {
            AccessToken = token,
            ExpiresIn = (long)issuer.Lifetime.TotalSeconds,
            Scope = string.Join(' ', scopes),
        });
    }
}
