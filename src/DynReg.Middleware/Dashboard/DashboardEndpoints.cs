using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DynReg.Middleware.Dashboard;

/// <summary>The dashboard's route table, under the host's path, every route behind the host's policy.</summary>
internal static class DashboardEndpoints
{
    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string policyName, string path)
    {
        var group = endpoints.MapGroup(path)
            .RequireAuthorization(policyName)

            // Posts are checked by DashboardHandler itself (IAntiforgery), so the host needs no UseAntiforgery().
            .DisableAntiforgery()
            .ExcludeFromDescription();

        group.MapGet(string.Empty, (HttpContext context) => DashboardResults.SeeOther(context.Request.PathBase + path + "/settings"));
        group.MapGet("/settings", (HttpContext context, [FromServices] DashboardHandler handler) => handler.SettingsAsync(context, path));
        group.MapPost("/settings", (HttpContext context, [FromServices] DashboardHandler handler) => handler.UpdateSettingsAsync(context, path));
        group.MapGet("/connections", (HttpContext context, [FromServices] DashboardHandler handler) => handler.ConnectionsAsync(context, path));
        group.MapPost("/connections/{id}/domain", (HttpContext context, string id, [FromServices] DashboardHandler handler) => handler.SetDomainConnectionAsync(context, path, id));
        group.MapGet("/applications", (HttpContext context, [FromServices] DashboardHandler handler) => handler.ApplicationsAsync(context, path));
        group.MapGet("/applications/{id}", (HttpContext context, string id, [FromServices] DashboardHandler handler) => handler.ApplicationAsync(context, path, id));
        group.MapPost("/applications/{id}", (HttpContext context, string id, [FromServices] DashboardHandler handler) => handler.UpdateApplicationAsync(context, path, id));
        group.MapPost("/applications/{id}/rotate-secret", (HttpContext context, string id, [FromServices] DashboardHandler handler) => handler.RotateSecretAsync(context, path, id));
        group.MapGet("/applications/{id}/delete", (HttpContext context, string id, [FromServices] DashboardHandler handler) => handler.ConfirmDeleteAsync(context, path, id));
        group.MapPost("/applications/{id}/delete", (HttpContext context, string id, [FromServices] DashboardHandler handler) => handler.DeleteApplicationAsync(context, path, id));
        return group;
    }
}
