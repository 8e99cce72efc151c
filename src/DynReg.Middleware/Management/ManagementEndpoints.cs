using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DynReg.Middleware.Management;

/// <summary>Maps the Management API into its group (<c>/api/v2</c>); each endpoint requires its own scope.</summary>
internal static class ManagementEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.AllowAnonymous() // authorization is the scope filter's, against our own scheme
            .DisableAntiforgery();
        TenantSettingsEndpoints.Map(api);
        ConnectionEndpoints.Map(api);
        ClientEndpoints.Map(api);
        ManagementFallback.Map(api);
    }
}
