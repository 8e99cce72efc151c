using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DynReg.Middleware.Protocol;

/// <summary>
/// CORS for the endpoints browser clients call from any origin (both metadata documents, JWKS,
/// registration, token, userinfo: OIDC Discovery §4, OIDC Registration §3, and browser-based MCP
/// clients). Never with credentials: the answers depend on no cookie. Done per endpoint so the
/// host's own CORS setup is left alone; never applied to <c>/authorize</c>, the pages or the
/// Management API (RFC 9700 §2.6).
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

                // Browser clients read the bearer challenge (RFC 6750 §3) of a refused request.
                headers.AccessControlExposeHeaders = "WWW-Authenticate";
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
            // MCP-Protocol-Version: MCP clients send it on every request, discovery included.
            headers.AccessControlAllowHeaders = "Authorization, Content-Type, MCP-Protocol-Version";
            headers.AccessControlMaxAge = "600";
            return Results.NoContent();
        }).AllowAnonymous().ExcludeFromDescription();
}
