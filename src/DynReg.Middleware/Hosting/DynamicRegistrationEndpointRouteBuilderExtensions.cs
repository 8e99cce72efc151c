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
    /// and returns their group, so the host can add conventions (rate limiting, host filters). Inside it, each surface
    /// (protocol JSON, the Management API, browser pages, Lock) has a group of its own that sets how its errors are written.
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

        // Outermost: a store outage anywhere below becomes a 503 in the endpoint's surface, never a 500.
        group.AddEndpointFilter<StoreUnavailableFilter>();
        group.AddEndpointFilter<RequireTlsFilter>();
        group.AddEndpointFilter<QueryStringLimitFilter>();

        // One group per surface: who reads the answers decides how every refusal is written.
        var protocol = group.MapGroup(string.Empty).WithMetadata(EndpointSurface.Protocol);
        DiscoveryEndpoints.Map(protocol);
        RegistrationEndpoints.Map(protocol);
        TokenEndpoints.Map(protocol);
        UserInfoEndpoints.Map(protocol);

        var browser = group.MapGroup(string.Empty).WithMetadata(EndpointSurface.Browser);
        AuthorizationEndpoints.Map(browser);
        LoginEndpoints.MapPages(browser);

        var lockWidget = group.MapGroup(string.Empty).WithMetadata(EndpointSurface.Lock);
        LoginEndpoints.MapLock(lockWidget);
        LockEndpoints.Map(lockWidget);

        ManagementEndpoints.Map(group.MapGroup(ManagementApi.PathPrefix).WithMetadata(EndpointSurface.Management));
        return group;
    }
}
