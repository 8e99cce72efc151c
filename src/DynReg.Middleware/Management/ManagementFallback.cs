using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DynReg.Middleware.Management;

/// <summary>
/// Any other path or method under <c>/api/v2</c> answers Auth0's shape too (404, as Auth0 does),
/// instead of routing's empty 404 or 405: a client of the Management API always gets a body it can read.
/// </summary>
internal static class ManagementFallback
{
    public const string InexistentRoute = "inexistent_route";

    public static void Map(IEndpointRouteBuilder api)
        => api.MapMethods("/{**rest}", [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete],
                static (HttpContext context) => ManagementResults.Error(StatusCodes.Status404NotFound,
                    $"{context.Request.Method} {context.Request.Path} is not an endpoint of the Management API.", InexistentRoute))
            .ExcludeFromDescription();
}
