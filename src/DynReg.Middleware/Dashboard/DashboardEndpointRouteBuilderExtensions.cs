using DynReg.Middleware.Dashboard;
using DynReg.Middleware.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the tenant owner's dashboard into a host.</summary>
public static class DashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard (advanced settings with the "OIDC Dynamic Client Registration" toggle,
    /// connections, applications) under <paramref name="path"/>. Every page and post requires the
    /// authorization policy <paramref name="policyName"/>, which the host defines with its own
    /// sign-in: the package has no login of its own. Changes go through the same rules and audit
    /// lines as the Management API. Returns the group for the host's own conventions.
    /// </summary>
    /// <param name="endpoints">The host's endpoints.</param>
    /// <param name="policyName">An authorization policy the host added with <c>AddAuthorization(o => o.AddPolicy(...))</c>.</param>
    /// <param name="path">Where the dashboard lives; <c>/dynreg/admin</c> by default.</param>
    public static RouteGroupBuilder MapDynamicRegistrationDashboard(this IEndpointRouteBuilder endpoints, string policyName, string path = "/dynreg/admin")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(policyName);
        ArgumentNullException.ThrowIfNull(path);
        if (endpoints.ServiceProvider.GetService<DynamicRegistrationMarker>() is null)
        {
            throw new InvalidOperationException(
                "Call builder.Services.AddDynamicClientRegistration(...) before app.MapDynamicRegistrationDashboard(...).");
        }

        var normalized = "/" + path.Trim('/');
        if (normalized == "/" || normalized.Contains('?') || normalized.Contains('#') || normalized.Contains('{'))
        {
            throw new ArgumentException("The dashboard path must be a non-root path such as '/dynreg/admin', without query, fragment or route parameters.", nameof(path));
        }

        return DashboardEndpoints.Map(endpoints, policyName, normalized);
    }
}
