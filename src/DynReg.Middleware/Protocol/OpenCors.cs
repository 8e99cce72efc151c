using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DynReg.Middleware.Protocol;

/// <summary>
/// CORS for the endpoints browsers may call from any origin (discovery, JWKS, registration:
/// OIDC Discovery §4, OIDC Registration §3). Done per endpoint so the host's own CORS setup
/// is left alone; never applied to <c>/authorize</c> (RFC 9700 §2.6).
/// </summary>
internal static class OpenCors
{
    public static TBuilder WithOpenCors<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter(static async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            if (context.HttpContext.Request.Headers.Origin.Count > 0)
            {
                headers.AccessControlAllowOrigin = "*";
            }

            return await next(context);
        });

    /// <summary>Answers the preflight of <paramref name="path"/> for the given methods.</summary>
    public static void MapPreflight(IEndpointRouteBuilder endpoints, string path, string methods)
        => endpoints.MapMethods(path, [HttpMethods.Options], (HttpContext context) =>
        {
            var headers = context.Response.Headers;
            headers.AccessControlAllowOrigin = "*";
            headers.AccessControlAllowMethods = methods;
            headers.AccessControlAllowHeaders = "Content-Type, Authorization";
            headers.AccessControlMaxAge = "600";
            return Results.NoContent();
        }).AllowAnonymous().ExcludeFromDescription();
}
