using System.Net;
using System.Text.Json;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Management;

/// <summary><c>GET</c>/<c>PATCH /api/v2/tenants/settings</c>: the fresh tenant (C3), merge-PATCH (C4), bad bodies.</summary>
public sealed class TenantSettingsTests
{
    private const string Path = "/api/v2/tenants/settings";

    private static Task<TestHost> StartFreshTenantAsync() => TestHost.StartAsync(configure: o =>
    {
        o.InitialTenantSettings.EnableDynamicClientRegistration = false;
        o.InitialTenantSettings.FriendlyName = "Acme";
    });

    private static async Task<JsonDocument> GetAsync(TestHost host, string token)
        => JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, Path, token));

    // C3: flag off on a fresh tenant, and registration refused.
    [Fact]
    public async Task FreshTenant_Get_FlagOffPermissiveAndRegistrationRefused()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);
        var token = await host.GetManagementTokenAsync();

        using var settings = await GetAsync(host, token);
        using var registration = await host.RegisterAsync("""{"client_name":"x","redirect_uris":["https://app.example.com/callback"]}""");

        var root = settings.RootElement;
        root.GetProperty("flags").GetProperty("enable_dynamic_client_registration").ValueKind.ShouldBe(JsonValueKind.False);
        root.GetProperty("dynamic_client_registration_security_mode").GetString().ShouldBe("permissive");
        registration.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var error = JsonDocument.Parse(await registration.Content.ReadAsStringAsync());
        error.RootElement.GetProperty("error").GetString().ShouldBe("access_denied");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // C4: each PATCH changes only the member it sends.
    [Fact]
    public async Task Patch_OneMemberAtATime_LeavesTheOthersUnchanged()
    {
        await using var host = await StartFreshTenantAsync();
        var token = await host.GetManagementTokenAsync();

        using (var afterName = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, Path, token, """{"friendly_name":"Acme Corp"}""")))
        {
            var root = afterName.RootElement;
            root.GetProperty("friendly_name").GetString().ShouldBe("Acme Corp");
            root.GetProperty("flags").GetProperty("enable_dynamic_client_registration").GetBoolean().ShouldBeFalse();
            root.GetProperty("dynamic_client_registration_security_mode").GetString().ShouldBe("permissive");
        }

        using (var afterFlag = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, Path, token,
                   """{"flags":{"enable_dynamic_client_registration":true}}""")))
        {
            var root = afterFlag.RootElement;
            root.GetProperty("friendly_name").GetString().ShouldBe("Acme Corp");
            root.GetProperty("flags").GetProperty("enable_dynamic_client_registration").GetBoolean().ShouldBeTrue();
            root.GetProperty("dynamic_client_registration_security_mode").GetString().ShouldBe("permissive");
        }

        using (var afterMode = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, Path, token,
                   """{"dynamic_client_registration_security_mode":"strict"}""")))
        {
            var root = afterMode.RootElement;
            root.GetProperty("friendly_name").GetString().ShouldBe("Acme Corp");
            root.GetProperty("flags").GetProperty("enable_dynamic_client_registration").GetBoolean().ShouldBeTrue();
            root.GetProperty("dynamic_client_registration_security_mode").GetString().ShouldBe("strict");
        }

        // An empty flags object and an empty body change nothing either.
        await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, Path, token, """{"flags":{}}""");
        await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, Path, token, "{}");
        using var final = await GetAsync(host, token);
        final.RootElement.GetProperty("friendly_name").GetString().ShouldBe("Acme Corp");
        final.RootElement.GetProperty("flags").GetProperty("enable_dynamic_client_registration").GetBoolean().ShouldBeTrue();
        final.RootElement.GetProperty("dynamic_client_registration_security_mode").GetString().ShouldBe("strict");
        var stored = await host.TenantSettings.GetAsync(CancellationToken.None);
        stored.FriendlyName.ShouldBe("Acme Corp");
        stored.Flags.EnableDynamicClientRegistration.ShouldBeTrue();
        stored.DynamicClientRegistrationSecurityMode.ShouldBe(DynamicClientRegistrationSecurityMode.Strict);
    }

    // The flag PATCHed on is what registration obeys, and PATCHed off again closes it.
    [Fact]
    public async Task Patch_FlagOnThenOff_RegistrationFollows()
    {
        await using var host = await StartFreshTenantAsync();
        var token = await host.GetManagementTokenAsync();
        const string Registration = """{"client_name":"x","redirect_uris":["https://app.example.com/callback"]}""";

        await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, Path, token, """{"flags":{"enable_dynamic_client_registration":true}}""");
        using (var open = await host.RegisterAsync(Registration))
        {
            open.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, Path, token, """{"flags":{"enable_dynamic_client_registration":false}}""");
        using var closed = await host.RegisterAsync(Registration);
        closed.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await host.CountClientsAsync()).ShouldBe(1);
    }

    [Theory]
    [InlineData("""{"unknown":true}""")]
    [InlineData("""{"friendly_name":"ok","unknown":true}""")]
    [InlineData("""{"flags":true}""")]
    [InlineData("""{"flags":[]}""")]
    [InlineData("""{"flags":null}""")]
    [InlineData("""{"flags":{"enable_dynamic_client_registration":"true"}}""")]
    [InlineData("""{"flags":{"enable_dynamic_client_registration":1}}""")]
    [InlineData("""{"flags":{"enable_dynamic_client_registration":null}}""")]
    [InlineData("""{"flags":{"enable_dynamic_client_registration":true,"enable_custom_domain":true}}""")]
    [InlineData("""{"dynamic_client_registration_security_mode":"lenient"}""")]
    [InlineData("""{"dynamic_client_registration_security_mode":"Strict"}""")]
    [InlineData("""{"dynamic_client_registration_security_mode":null}""")]
    [InlineData("""{"friendly_name":42}""")]
    [InlineData("""{"friendly_name":"ok","dynamic_client_registration_security_mode":"lenient"}""")]
    [InlineData("""{"flags":{"enable_dynamic_client_registration":true},"flags":{"enable_dynamic_client_registration":false}}""")]
    [InlineData("[]")]
    [InlineData("\"strict\"")]
    [InlineData("null")]
    [InlineData("{")]
    [InlineData("")]
    public async Task Patch_BadBody_Returns400InvalidBodyAndChangesNothing(string json)
    {
        await using var host = await StartFreshTenantAsync();
        var token = await host.GetManagementTokenAsync();
        var before = await host.TenantSettings.GetAsync(CancellationToken.None);

        using var response = await host.SendAsync(HttpMethod.Patch, Path, token, json);

        await response.ShouldBeInvalidBodyAsync();
        (await host.TenantSettings.GetAsync(CancellationToken.None)).ShouldBe(before);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Patch_NotJsonMediaType_Returns400InvalidBodyAndChangesNothing(string mediaType)
    {
        await using var host = await StartFreshTenantAsync();
        var token = await host.GetManagementTokenAsync();
        var before = await host.TenantSettings.GetAsync(CancellationToken.None);
        var content = new StringContent("""{"flags":{"enable_dynamic_client_registration":true}}""");
        content.Headers.ContentType = new(mediaType);

        using var response = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, Path, token, content));

        await response.ShouldBeInvalidBodyAsync();
        (await host.TenantSettings.GetAsync(CancellationToken.None)).ShouldBe(before);
    }
}
