using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DynReg.Middleware.Management;

/// <summary>Maps the Management API under <c>/api/v2</c>; each endpoint requires its own scope.</summary>
internal static class ManagementEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(ManagementApi.PathPrefix)
            .WithMetadata(new ManagementAuthentication.EndpointMarker())
            .AllowAnonymous() // authorization is the scope filter's, against our own scheme
            .DisableAntiforgery();
        TenantSettingsEndpoints.Map(api);
        ConnectionEndpoints.Map(api);
        ClientEndpoints.Map(api);
        ManagementFallback.Map(api);
    }
}
