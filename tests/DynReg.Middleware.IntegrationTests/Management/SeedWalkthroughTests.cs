using System.Net;
using System.Text.Json;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Management;

/// <summary>The seed's steps 1-3 (SPEC §1): enable the flag, promote the connection, register.</summary>
public sealed class SeedWalkthroughTests
{
    [Fact]
    public async Task Walkthrough_FlagOffConnectionSeeded_ManagementTokenEnablesRegistration()
    {
        await using var host = await TestHost.StartAsync(
            configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false,
            build: b => b.AddConnection("Username-Password-Authentication"));

        using (var refused = await host.RegisterAsync("""{"client_name":"My Dynamic Client","redirect_uris":["https://application.example.com/callback"]}"""))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        var token = await host.GetManagementTokenAsync();
        using (var patch = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, "/api/v2/tenants/settings", token,
                   TestHost.Json("""{ "flags": { "enable_dynamic_client_registration": true } }"""))))
        {
            patch.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var body = JsonDocument.Parse(await patch.Content.ReadAsStringAsync());
            body.RootElement.GetProperty("flags").GetProperty("enable_dynamic_client_registration").GetBoolean().ShouldBeTrue();
        }

        string connectionId;
        using (var list = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/api/v2/connections?name=Username-Password-Authentication", token)))
        {
            list.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var body = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
            body.RootElement.GetArrayLength().ShouldBe(1);
            body.RootElement[0].GetProperty("is_domain_connection").GetBoolean().ShouldBeFalse();
            connectionId = body.RootElement[0].GetProperty("id").GetString()!;
        }

        using (var promote = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, $"/api/v2/connections/{connectionId}", token,
                   TestHost.Json("""{ "is_domain_connection": true }"""))))
        {
            promote.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var body = JsonDocument.Parse(await promote.Content.ReadAsStringAsync());
            body.RootElement.GetProperty("is_domain_connection").GetBoolean().ShouldBeTrue();
        }

        using var registered = await host.RegisterAsync("""{"client_name":"My Dynamic Client","redirect_uris":["https://application.example.com/callback"]}""");
        registered.StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
