using DynReg.Middleware.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DynReg.Middleware.Registration;

/// <summary>Maps <c>POST /oidc/register</c> (open registration, RFC 7591 §3).</summary>
internal static class RegistrationEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(EndpointPaths.Registration, static ([FromServices] RegistrationHandler handler, HttpContext context)
                => handler.HandleAsync(context))
            .WithOpenCors()
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("DynReg.Register");
        OpenCors.MapPreflight(endpoints, EndpointPaths.Registration, HttpMethods.Post);
    }
}
