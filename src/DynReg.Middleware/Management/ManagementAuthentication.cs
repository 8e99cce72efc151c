using DynReg.Middleware.Hosting;
using DynReg.Middleware.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.Management;

/// <summary>
/// The Management API's bearer tokens: a named JwtBearer scheme validating our own RS256
/// tokens for <c>{issuer}api/v2/</c> (no metadata fetched), and a per-endpoint scope check.
/// </summary>
internal static class ManagementAuthentication
{
    public const string Scheme = "DynReg.Management";

    private const string ScopeClaim = "scope";

    /// <summary>Authenticates with the Management scheme and requires <paramref name="scope"/> (Auth0: any of the listed scopes).</summary>
    public static RouteHandlerBuilder RequireScope(this RouteHandlerBuilder builder, string scope)
        => builder.AddEndpointFilter(async (context, next) =>
        {
            var httpContext = context.HttpContext;
            var result = await httpContext.AuthenticateAsync(Scheme);
            if (!result.Succeeded || result.Principal is null)
            {
                var hasToken = httpContext.Request.Headers.Authorization.Count > 0;
                var expired = result.Failure is SecurityTokenExpiredException;
                var message = !hasToken ? "Missing authentication" : expired ? "Expired token" : "Invalid token";

                // RFC 6750 §3: no error code when no token was sent.
                httpContext.Response.Headers.WWWAuthenticate = hasToken
                    ? $"Bearer error=\"invalid_token\", error_description=\"{message}\""
                    : "Bearer";
                return ManagementResults.Error(StatusCodes.Status401Unauthorized, message, ManagementResults.InvalidToken);
            }

            // Scopes come from the space-separated "scope" claim (Auth0's access tokens).
            var granted = result.Principal.FindFirst(ScopeClaim)?.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (!granted.Contains(scope, StringComparer.Ordinal))
            {
                httpContext.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{scope}\"";
                return ManagementResults.Error(StatusCodes.Status403Forbidden,
                    $"Insufficient scope, expected any of: {scope}", ManagementResults.InsufficientScope);
            }

            httpContext.User = result.Principal;
            return await next(context);
        });

    /// <summary>Validation parameters derived from the issuer and the signing keys.</summary>
    internal sealed class ConfigureJwtBearer(IOptions<DynamicRegistrationOptions> options, SigningKeyRing keys, TimeProvider time)
        : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(string? name, JwtBearerOptions jwt)
        {
            if (name != Scheme)
            {
                return;
            }

            var issuer = options.Value.Issuer!;
            jwt.MapInboundClaims = false;
            jwt.Authority = null;

            // Tokens are issued on the host's TimeProvider; their lifetime is validated on it too.
            jwt.TimeProvider = time;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = issuer.AbsoluteUri,
                ValidAudience = ManagementApi.Audience(issuer),

                // Audiences are identifiers compared exactly, as the token endpoint compares them; the
                // library's default would also accept "{issuer}api/v2", which a host API may be called.
                IgnoreTrailingSlashWhenValidatingAudience = false,
                IssuerSigningKeys = keys.ValidationKeys,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "sub",
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                LifetimeValidator = TokenLifetime.On(time),
            };
            jwt.Events = new JwtBearerEvents
            {
                // If this is the host's only scheme, ASP.NET Core makes it the default; a
                // management token must still never authenticate a request to the host's own endpoints.
                OnTokenValidated = context =>
                {
                    if (EndpointSurface.Find(context.HttpContext) != EndpointSurface.Management)
                    {
                        context.Fail("Management API tokens are accepted by the Management API only.");
                    }

                    return Task.CompletedTask;
                },
            };
        }

        public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
    }
}
