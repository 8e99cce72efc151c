using DynReg.Middleware.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DynReg.Middleware.Tokens;

/// <summary>Maps <c>POST /oauth/token</c>; any other method gets a JSON 405 (RFC 6749 §3.2: POST only).</summary>
internal static class TokenEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(EndpointPaths.Token, static ([FromServices] TokenHandler handler, HttpContext context) => handler.HandleAsync(context))
            .WithOpenCors()
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("DynReg.Token");
        OpenCors.MapPreflight(endpoints, EndpointPaths.Token, HttpMethods.Post);

        endpoints.MapMethods(EndpointPaths.Token, [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch], static (HttpContext context) =>
            {
                context.Response.Headers.Allow = HttpMethods.Post;
                return ProtocolResults.Error(StatusCodes.Status405MethodNotAllowed, OAuthConstants.Errors.InvalidRequest,
                    "The token endpoint accepts POST only.");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
    }
}
