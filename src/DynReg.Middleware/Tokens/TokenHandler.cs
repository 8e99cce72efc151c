using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// <c>POST /oauth/token</c>: read parameters → authenticate the client → dispatch to the grant's
/// exchange → write the tokens or the error. Errors are RFC 6749 §5.2 JSON, <c>no-store</c>.
/// </summary>
internal sealed class TokenHandler(
    ClientAuthenticator authenticator,
    AuthorizationCodeExchange authorizationCode,
    RefreshTokenExchange refreshToken,
    ClientCredentialsExchange clientCredentials,
    ClientUsage usage,
    ILogger<TokenHandler> logger)
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var read = await ProtocolParameters.ReadAsync(context.Request, cancellationToken);
        if (read.Parameters is not { } parameters)
        {
            return Reject(read.StatusCode, Errors.InvalidRequest, read.Error);
        }

        if (!parameters.TryGetValue(Parameters.GrantType, out var grantType) || grantType.Length == 0)
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidRequest, "grant_type is required.");
        }

        // RFC 6749 §5.2: a grant type this server does not offer.
        if (grantType is not (GrantTypes.ClientCredentials or GrantTypes.AuthorizationCode or GrantTypes.RefreshToken))
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.UnsupportedGrantType, $"Unsupported grant_type '{QuotedValue.Shorten(grantType)}'.");
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
            GrantTypes.AuthorizationCode => await authorizationCode.ExchangeAsync(client, parameters, cancellationToken),
            GrantTypes.RefreshToken => await refreshToken.ExchangeAsync(client, parameters, cancellationToken),
            _ => clientCredentials.Exchange(client, authentication.Method!, parameters),
        };

        if (result.Response is not { } tokens)
        {
            return Reject(result.StatusCode, result.Error, result.Description);
        }

        // last_used_at: a token was issued.
        await usage.RecordAsync(client, cancellationToken);
        return ProtocolResults.Json(tokens, Hosting.DynRegJsonContext.Default.TokenResponse);
    }

    private IResult Reject(int statusCode, string error, string? description)
    {
        Log.TokenRequestRejected(logger, error, description);
        return ProtocolResults.Error(statusCode, error, description);
    }
}
