using DynReg.Middleware.Authorization;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// <c>GET</c>/<c>POST /userinfo</c> (OpenID Connect Core §5.3): a bearer access token whose
/// audience includes <c>{issuer}userinfo</c>; claims per the token's scopes, from the user's
/// current profile. Errors per RFC 6750 §3.
/// </summary>
internal static class UserInfoEndpoints
{
    public const string Path = EndpointPaths.UserInfo;
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], HandleAsync).WithOpenCors().AllowAnonymous().DisableAntiforgery();
        OpenCors.MapPreflight(endpoints, Path, "GET, POST");
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        [FromServices] SigningKeyRing keys,
        [FromServices] UserTokenIssuer userTokens,
        [FromServices] IOptions<DynamicRegistrationOptions> options,
        [FromServices] IConnectionStore connections,
        [FromServices] IEnumerable<IUserAuthenticator> authenticators,
        [FromServices] TimeProvider time)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        string? token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
        if (token is null && HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            // RFC 6750 §2.2: the form-encoded body parameter.
            token = (await LimitedForm.ReadAsync(context.Request, context.RequestAborted))?[Parameters.AccessToken].FirstOrDefault();
        }

        if (string.IsNullOrEmpty(token))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return ProtocolResults.Error(StatusCodes.Status401Unauthorized, "invalid_token", "A bearer access token is required.");
        }

        var validation = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = options.Value.Issuer!.AbsoluteUri,
            ValidAudience = userTokens.UserInfoAudience,
            IssuerSigningKeys = keys.ValidationKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = TokenLifetime.On(time),
        });
        if (!validation.IsValid || !validation.Claims.TryGetValue("sub", out var subjectValue) || subjectValue is not string subject)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return ProtocolResults.Error(StatusCodes.Status401Unauthorized, "invalid_token", "The access token is invalid or expired.");
        }

        var scopes = ((validation.Claims.TryGetValue("scope", out var scopeValue) ? scopeValue as string : null) ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var profile = await FindProfileAsync(subject, connections, authenticators, context.RequestAborted);
        if (profile is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return ProtocolResults.Error(StatusCodes.Status401Unauthorized, "invalid_token", "The user no longer exists.");
        }

        var claims = new Dictionary<string, object> { ["sub"] = subject };
        UserTokenIssuer.AddProfileClaims(profile, scopes, claims);
        return ProtocolResults.Json(claims, DynRegJsonContext.Default.DictionaryStringObject);
    }

    private static async Task<SignedInUser?> FindProfileAsync(string subject, IConnectionStore connections, IEnumerable<IUserAuthenticator> authenticators, CancellationToken cancellationToken)
    {
        var byStrategy = authenticators.ToDictionary(a => a.Strategy);
        foreach (var connection in await connections.ListAllAsync(cancellationToken))
        {
            if (byStrategy.TryGetValue(connection.Strategy, out var authenticator)
                && await authenticator.FindBySubjectAsync(connection, subject, cancellationToken) is { } profile)
            {
                return new SignedInUser
                {
                    Subject = profile.Subject,
                    ConnectionName = connection.Name,
                    Email = profile.Email,
                    EmailVerified = profile.EmailVerified,
                    Name = profile.Name,
                    Nickname = profile.Nickname,
                    Picture = profile.Picture,
                };
            }
        }

        return null;
    }
}
