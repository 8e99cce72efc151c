using DynReg.Middleware.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Tests.Hosting;

/// <summary>
/// A host with the package added and nothing preset (unlike <c>TestHost</c>, no issuer and no
/// signing key), for tests of start-up and of the host's own setup.
/// </summary>
internal static class BareHost
{
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>Builds, maps and starts; the caller disposes the app.</summary>
    public static async Task<WebApplication> StartAsync(Action<DynamicRegistrationOptions> configure, Action<DynamicRegistrationBuilder>? build = null)
    {
        var builder = CreateBuilder();
        var dynReg = builder.Services.AddDynamicClientRegistration(configure);
        build?.Invoke(dynReg);
        var app = builder.Build();
        app.MapDynamicRegistration();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }
}
