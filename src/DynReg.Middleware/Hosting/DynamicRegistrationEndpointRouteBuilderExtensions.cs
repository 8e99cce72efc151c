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

    /// <summary>
    /// For an issuer with a path (<c>https://example.com/tenant/</c>), whose endpoints the host maps under
    /// that path: maps the path-inserted metadata names at the root of the host, where RFC 8414 §3.1
    /// clients look (<c>/.well-known/oauth-authorization-server/tenant</c>, and the same for
    /// <c>openid-configuration</c>). Call it on the application itself, not on the group of
    /// <see cref="MapDynamicRegistration"/>. Maps nothing for an issuer without a path.
    /// </summary>
    public static RouteGroupBuilder MapPathInsertedMetadata(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetService<Microsoft.Extensions.Options.IOptions<DynReg.Middleware.DynamicRegistrationOptions>>()
            ?? throw new InvalidOperationException("Call builder.Services.AddDynamicClientRegistration(...) before app.MapPathInsertedMetadata().");
        var group = endpoints.MapGroup(string.Empty).WithMetadata(EndpointSurface.Protocol);
        group.AddEndpointFilter<StoreUnavailableFilter>();
        group.AddEndpointFilter<RequireTlsFilter>();
        DiscoveryEndpoints.MapPathInserted(group, options.Value.Issuer!);
        return group;
    }
}
