using DynReg.Middleware.Protocol;
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
    ILogger<TokenHandler> logger)
{
    private const string AudienceParameter = "audience";
    private const string ScopeParameter = "scope";
    private const string GrantTypeParameter = "grant_type";

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
        if (grantType != GrantTypes.ClientCredentials)
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

        return await ClientCredentialsAsync(client, authentication.Method!, parameters);
    }

    // RFC 6749 §4.4 with Auth0's client grants deciding audience and scopes.
    private Task<IResult> ClientCredentialsAsync(Stores.Models.Client client, string method, IReadOnlyDictionary<string, string> parameters)
    {
        // §4.4: confidential clients only; and the client must have been given this grant (T7, T8).
        // Dynamically registered clients never get it, whatever their stored record says: registration
        // refuses the grant, but a record edited in (or imported into) a store must not turn a
        // third-party client into a Management API caller.
        if (method == ClientAuthenticationMethods.None
            || client.IsDynamicallyRegistered
            || !client.GrantTypes.Contains(GrantTypes.ClientCredentials))
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

    private static string Shorten(string value) => value.Length <= 100 ? value : string.Concat(value.AsSpan(0, 100), "…");
}
