using System.Net;
using System.Text.Json;
using DynReg.Middleware.IntegrationTests.Management;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Dashboard;

/// <summary>Advanced settings: the "OIDC Dynamic Client Registration" toggle, the security mode, the friendly name.</summary>
public sealed class DashboardSettingsTests
{
    private const string Settings = "/dynreg/admin/settings";
    private const string Registration = """{"client_name":"x","redirect_uris":["https://app.example.com/callback"]}""";

    [Fact]
    public async Task Toggle_On_FlagOnInApiAndRegistrationGets201()
    {
        await using var host = await DashboardHost.StartAsync();
        using var admin = host.NewClient();
        var page = await admin.PageAsync(Settings);
        page.ShouldContain("id=\"dcr-status\" class=\"badge off\">Off<");
        using (var refused = await host.RegisterAsync(Registration))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using var response = await admin.SubmitAsync(page, "dcr-form");

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.ShouldBe(Settings + "?notice=registration-on");
        (await SettingsFromApiAsync(host)).GetProperty("flags").GetProperty("enable_dynamic_client_registration").GetBoolean().ShouldBeTrue();
        using (var registered = await host.RegisterAsync(Registration))
        {
            registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var after = await admin.PageAsync(response.Headers.Location.OriginalString);
        after.ShouldContain("id=\"dcr-status\" class=\"badge on\">On<");
        after.ShouldContain("OIDC Dynamic Client Registration is on");
    }

    [Fact]
    public async Task Toggle_Off_RegistrationGets403()
    {
        await using var host = await DashboardHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = true);
        using var admin = host.NewClient();
        var page = await admin.PageAsync(Settings);
        page.ShouldContain(">Turn off<");

        using var response = await admin.SubmitAsync(page, "dcr-form");

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        (await host.TenantSettings.GetAsync(CancellationToken.None)).Flags.EnableDynamicClientRegistration.ShouldBeFalse();
        using var refused = await host.RegisterAsync(Registration);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Save_ModeAndFriendlyName_VisibleInApiFlagUntouched()
    {
        await using var host = await DashboardHost.StartAsync(configure: o => o.InitialTenantSettings.FriendlyName = "Acme");
        using var admin = host.NewClient();
        var page = await admin.PageAsync(Settings);

        using var response = await admin.SubmitAsync(page, "tenant-form", new Dictionary<string, string>
        {
            ["dynamic_client_registration_security_mode"] = "strict",
            ["friendly_name"] = "Acme Corp <Ops>",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.ShouldBe(Settings + "?notice=settings-saved");
        var api = await SettingsFromApiAsync(host);
        api.GetProperty("dynamic_client_registration_security_mode").GetString().ShouldBe("strict");
        api.GetProperty("friendly_name").GetString().ShouldBe("Acme Corp <Ops>");
        api.GetProperty("flags").GetProperty("enable_dynamic_client_registration").GetBoolean().ShouldBeFalse();
        var after = await admin.PageAsync(Settings);
        after.ShouldContain("value=\"Acme Corp &lt;Ops&gt;\"");
        after.ShouldContain("<option value=\"strict\" selected>");
    }

    [Fact]
    public async Task Change_OneAuditLineNamingTheDashboardUser()
    {
        var logs = new LogCapture();
        await using var host = await DashboardHost.StartAsync(logs);
        using var admin = host.NewClient();
        var page = await admin.PageAsync(Settings);

        using var response = await admin.SubmitAsync(page, "dcr-form");

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        var audit = logs.Audit.ShouldHaveSingleItem();
        audit.EventId.ShouldBe(2000);
        audit.Values["Actor"].ShouldBe(DashboardHost.Admin);
        audit.Values["Channel"].ShouldBe("dashboard");
    }

    [Fact]
    public async Task ApiChange_OneAuditLineNamingTheTokensSubject()
    {
        var logs = new LogCapture();
        await using var host = await DashboardHost.StartAsync(logs);
        var token = await host.GetManagementTokenAsync();

        await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, "/api/v2/tenants/settings", token, """{"friendly_name":"Acme"}""");

        var audit = logs.Audit.ShouldHaveSingleItem();
        audit.EventId.ShouldBe(2000);
        audit.Values["Actor"].ShouldBe(TestHost.ManagementClientId + "@clients");
        audit.Values["Channel"].ShouldBe("management-api");
    }

    [Fact]
    public async Task ApiChange_ShowsOnThePageAtOnce()
    {
        await using var host = await DashboardHost.StartAsync();
        using var admin = host.NewClient();
        var token = await host.GetManagementTokenAsync();

        await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, "/api/v2/tenants/settings", token,
            """{"flags":{"enable_dynamic_client_registration":true},"friendly_name":"From the API"}""");
        var page = await admin.PageAsync(Settings);

        page.ShouldContain("id=\"dcr-status\" class=\"badge on\">On<");
        page.ShouldContain("value=\"From the API\"");
    }

    public static TheoryData<string, string, string> BadInput => new()
    {
        { "dcr-form", "enable_dynamic_client_registration=yes", "enable_dynamic_client_registration must be true or false" },
        { "tenant-form", "dynamic_client_registration_security_mode=lenient", "dynamic_client_registration_security_mode must be one of: permissive, strict" },
        { "tenant-form", "dynamic_client_registration_security_mode=Strict", "dynamic_client_registration_security_mode must be one of: permissive, strict" },
        { "tenant-form", "friendly_name=" + new string('n', 256), "friendly_name must be a string of at most 255 characters" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Save_BadInput_400WithTheRuleAndNothingChanged(string form, string field, string message)
    {
        var logs = new LogCapture();
        await using var host = await DashboardHost.StartAsync(logs, configure: o => o.InitialTenantSettings.FriendlyName = "Acme");
        using var admin = host.NewClient();
        var page = await admin.PageAsync(Settings);
        var before = await DashboardState.ReadAsync(host);
        var (name, value) = (field[..field.IndexOf('=')], field[(field.IndexOf('=') + 1)..]);

        // The other member of the tenant form is valid: a bad member refuses the whole post.
        using var response = await admin.SubmitAsync(page, form, new Dictionary<string, string>
        {
            [name] = value,
            ["friendly_name"] = name == "friendly_name" ? value : "Changed",
        });

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, html);
        DashboardClient.ErrorText(html).ShouldBe("Nothing was changed: " + message);
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
        logs.Audit.ShouldBeEmpty();
    }

    private static async Task<JsonElement> SettingsFromApiAsync(TestHost host)
    {
        var token = await host.GetManagementTokenAsync();
        using var body = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v2/tenants/settings", token));
        return body.RootElement.Clone();
    }
}
