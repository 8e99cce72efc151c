using DynReg.Middleware.Discovery;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Authorization;
using DynReg.Middleware.Login;
using DynReg.Middleware.Management;
using DynReg.Middleware.Registration;
using DynReg.Middleware.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the provider's endpoints into a host.</summary>
public static class DynamicRegistrationEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every endpoint of the package at Auth0's paths (discovery, JWKS, <c>POST /oidc/register</c>, <c>POST /oauth/token</c>, the Management API under <c>/api/v2</c>)
    /// and returns their group, so the host can add conventions (rate limiting, host filters).
    /// </summary>
    public static RouteGroupBuilder MapDynamicRegistration(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<DynamicRegistrationMarker>() is null)
        {
            throw new InvalidOperationException(
                "Call builder.Services.AddDynamicClientRegistration(...) before app.MapDynamicRegistration().");
        }

        var group = endpoints.MapGroup(string.Empty);

        // Outermost: a store outage anywhere below becomes a 503 with a JSON error, never a 500.
        group.AddEndpointFilter<StoreUnavailableFilter>();
        group.AddEndpointFilter<RequireTlsFilter>();
        group.AddEndpointFilter<QueryStringLimitFilter>();
        DiscoveryEndpoints.Map(group);
        RegistrationEndpoints.Map(group);
        TokenEndpoints.Map(group);
        UserInfoEndpoints.Map(group);
        AuthorizationEndpoints.Map(group);
        LoginEndpoints.Map(group);
        LockEndpoints.Map(group);
        ManagementEndpoints.Map(group);
        return group;
    }
}
