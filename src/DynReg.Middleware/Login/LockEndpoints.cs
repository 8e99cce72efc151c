using System.Text.Json;
using DynReg.Middleware.Authorization;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Login;

/// <summary>
/// The JSONP files Auth0's Lock widget loads at start-up (LOCK.md §(a) rows 3-5): client info
/// for first-party clients, tenant info for third-party clients (<c>__useTenantInfo</c>), and
/// language dictionaries when the host serves them.
/// </summary>
internal static class LockEndpoints
{
    // Lock reads database connections only from the "auth0" strategy (LOCK.md A1/A2).
    private const string DatabaseStrategy = "auth0";

    /// <summary>Where Lock's assets are answered when <see cref="LoginPageOptions.ServeLockAssets"/> is on.</summary>
    public const string AssetsPath = "/lock-assets";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/client/{file}", ClientInfoAsync).AllowAnonymous().ExcludeFromDescription();

        // T4 and T5/T1: Lock >= 10.7.3 asks /info-v1.js, older and tenant-named builds /tenants/v1/{name}.js.
        endpoints.MapGet("/info-v1.js", TenantInfoAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet("/tenants/v1/{file}", TenantInfoAsync).AllowAnonymous().ExcludeFromDescription();

        // T2: with assetsUrl set, Lock loads the assets base URL itself as the tenant file.
        var assets = endpoints.MapGroup(AssetsPath).AddEndpointFilter(static async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<IOptions<DynamicRegistrationOptions>>().Value.LoginPage.ServeLockAssets
                ? await next(context)
                : Results.NotFound());
        assets.MapGet(string.Empty, TenantInfoAsync).AllowAnonymous().ExcludeFromDescription();
        assets.MapGet("/client/{file}", ClientInfoAsync).AllowAnonymous().ExcludeFromDescription();
        assets.MapGet("/js/lock/{version}/{file}", LanguageDictionary).AllowAnonymous().ExcludeFromDescription();
    }

    // Row 3: Auth0.setClient({...}); `id` must equal the requested client id exactly.
    private static async Task<IResult> ClientInfoAsync(
        string file, HttpContext context, [FromServices] IClientStore clients, [FromServices] AllowedConnections allowedConnections, [FromServices] ITenantSettingsStore tenantSettings)
    {
        if (!file.EndsWith(".js", StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        var client = await clients.FindByIdAsync(file[..^3], context.RequestAborted);
        if (client is null)
        {
            return LockResults.Script("/* unknown client */", StatusCodes.Status404NotFound);
        }

        var connections = await allowedConnections.ForClientAsync(client, context.RequestAborted);
        var tenant = await tenantSettings.GetAsync(context.RequestAborted);
        var info = new LockClientInfo(
            client.ClientId,
            tenant.FriendlyName ?? "tenant",

            // Not "free"/"dev": those make Lock show the "Protected with Auth0" badge.
            "self-hosted",
            [new LockStrategy(DatabaseStrategy, [.. connections.Where(c => c.Strategy == DatabaseStrategy).Select(c => new LockClientConnection(c.Name))])]);
        return LockResults.Jsonp("Auth0.setClient", info, DynRegJsonContext.Default.LockClientInfo);
    }

    // Row 4: Auth0.setTenant({...}). Tenant-wide and public, so it lists the domain connections:
    // exactly what a third-party client may use. First-party clients use the client file.
    private static async Task<IResult> TenantInfoAsync(HttpContext context, [FromServices] IConnectionStore connectionStore)
    {
        var domainConnections = (await connectionStore.ListAllAsync(context.RequestAborted))
            .Where(c => c.IsDomainConnection && c.Strategy == DatabaseStrategy)
            .ToList();

        var info = new LockTenantInfo(new LockTenantConnections([.. domainConnections.Select(c => new LockTenantConnection(c.Name, c.Strategy))]));
        return LockResults.Jsonp("Auth0.setTenant", info, DynRegJsonContext.Default.LockTenantInfo);
    }

    // Row 5: Auth0.registerLanguageDictionary("{lang}", {...}) from the dictionaries the host supplied.
    private static IResult LanguageDictionary(string version, string file, [FromServices] IOptions<DynamicRegistrationOptions> options)
    {
        var language = file.EndsWith(".js", StringComparison.Ordinal) ? file[..^3] : file;
        if (!options.Value.LoginPage.LanguageDictionaries.TryGetValue(language, out var dictionary))
        {
            return LockResults.Script("/* no dictionary */", StatusCodes.Status404NotFound);
        }

        return LockResults.Script($"Auth0.registerLanguageDictionary({JsonSerializer.Serialize(language, DynRegJsonContext.Default.String)}, {dictionary});");
    }
}
