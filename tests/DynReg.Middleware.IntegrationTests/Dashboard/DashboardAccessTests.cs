using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DynReg.Middleware.IntegrationTests.Tokens;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Dashboard;

/// <summary>
/// Who gets the dashboard: only users the host's policy admits see a page, and a change needs
/// both that and an anti-forgery token of the user's own session. Every page is strict: no
/// script, nothing from elsewhere, no framing, no caching.
/// </summary>
public sealed partial class DashboardAccessTests
{
    private const string ConnectionName = "Username-Password-Authentication";

    public static TheoryData<string> Pages => new()
    {
        "/dynreg/admin",
        "/dynreg/admin/settings",
        "/dynreg/admin/connections",
        "/dynreg/admin/applications",
        "/dynreg/admin/applications?q=Dynamic",
        "/dynreg/admin/applications/{client}",
        "/dynreg/admin/applications/{client}/delete",
    };

    /// <summary>Every post the dashboard's forms make, with the fields that would change something.</summary>
    public static TheoryData<string, string> Posts => new()
    {
        { "/dynreg/admin/settings", "enable_dynamic_client_registration=true" },
        { "/dynreg/admin/settings", "dynamic_client_registration_security_mode=strict&friendly_name=Forged" },
        { "/dynreg/admin/connections/{connection}/domain", "is_domain_connection=true" },
        { "/dynreg/admin/applications/{client}", "name=Forged&redirect_uris=https://evil.example.com/cb" },
        { "/dynreg/admin/applications/{client}/rotate-secret", "" },
        { "/dynreg/admin/applications/{client}/delete", "" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_Anonymous_401AndNoPage(string path)
    {
        await using var host = await StartWithClientAsync();
        using var anonymous = host.NewClient(user: null);

        var (status, html, _) = await anonymous.GetAsync(await ResolveAsync(host, path));

        status.ShouldBe(HttpStatusCode.Unauthorized);
        html.ShouldNotContain("DynReg dashboard");
        html.ShouldNotContain(DashboardClient.TokenField);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_SignedInWithoutThePolicysRole_403AndNoPage(string path)
    {
        await using var host = await StartWithClientAsync();
        using var outsider = host.NewClient(user: "mallory@example.com", role: "user");

        var (status, html, _) = await outsider.GetAsync(await ResolveAsync(host, path));

        status.ShouldBe(HttpStatusCode.Forbidden);
        html.ShouldNotContain("DynReg dashboard");
    }

    [Theory]
    [MemberData(nameof(Posts))]
    public async Task Post_Anonymous_401AndNothingChanged(string path, string fields)
    {
        await using var host = await StartWithClientAsync();
        using var admin = host.NewClient();
        var token = DashboardClient.Token(await admin.PageAsync("/dynreg/admin/settings"));
        using var anonymous = host.NewClient(user: null);
        var before = await DashboardState.ReadAsync(host);

        // Even carrying a real token: no identity, no change.
        using var response = await anonymous.PostAsync(await ResolveAsync(host, path), Fields(fields, token));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
    }

    [Theory]
    [MemberData(nameof(Posts))]
    public async Task Post_SignedInWithoutThePolicysRole_403AndNothingChanged(string path, string fields)
    {
        await using var host = await StartWithClientAsync();
        using var outsider = host.NewClient(user: "mallory@example.com", role: "user");
        var before = await DashboardState.ReadAsync(host);

        using var response = await outsider.PostAsync(await ResolveAsync(host, path), Fields(fields, token: null));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
    }

    [Theory]
    [MemberData(nameof(Posts))]
    public async Task Post_AdminWithoutAntiforgeryToken_400AndNothingChanged(string path, string fields)
    {
        await using var host = await StartWithClientAsync();
        using var admin = host.NewClient();
        await admin.PageAsync("/dynreg/admin/settings"); // the browser holds the anti-forgery cookie
        var before = await DashboardState.ReadAsync(host);

        using var response = await admin.PostAsync(await ResolveAsync(host, path), Fields(fields, token: null));

        await ShouldBeRefusedAsync(response);
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
    }

    [Theory]
    [MemberData(nameof(Posts))]
    public async Task Post_AdminWithWrongAntiforgeryToken_400AndNothingChanged(string path, string fields)
    {
        await using var host = await StartWithClientAsync();
        using var admin = host.NewClient();
        var token = DashboardClient.Token(await admin.PageAsync("/dynreg/admin/settings"));
        var before = await DashboardState.ReadAsync(host);

        // A token altered by one character: the cookie half no longer matches.
        var altered = (token[0] == 'A' ? 'B' : 'A') + token[1..];
        using var response = await admin.PostAsync(await ResolveAsync(host, path), Fields(fields, altered));

        await ShouldBeRefusedAsync(response);
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
    }

    [Theory]
    [MemberData(nameof(Posts))]
    public async Task Post_TokenOfAnotherAdminsSession_400AndNothingChanged(string path, string fields)
    {
        await using var host = await StartWithClientAsync();
        using var victim = host.NewClient();
        using var attacker = host.NewClient(user: "eve@example.com");
        var attackersToken = DashboardClient.Token(await attacker.PageAsync("/dynreg/admin/settings"));
        await victim.PageAsync("/dynreg/admin/settings");
        var before = await DashboardState.ReadAsync(host);

        // A forged page posting in the victim's browser can only carry a token the attacker could read.
        using var response = await victim.PostAsync(await ResolveAsync(host, path), Fields(fields, attackersToken));

        await ShouldBeRefusedAsync(response);
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
    }

    [Fact]
    public async Task Post_JsonBodyInsteadOfForm_400AndNothingChanged()
    {
        await using var host = await StartWithClientAsync();
        using var admin = host.NewClient();
        await admin.PageAsync("/dynreg/admin/settings");
        var before = await DashboardState.ReadAsync(host);

        using var response = await admin.Http.PostAsync("/dynreg/admin/settings", TestHost.Json("""{"enable_dynamic_client_registration":"true"}"""));

        await ShouldBeRefusedAsync(response);
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_Admin_StrictHeadersNoScriptNothingFromElsewhere(string path)
    {
        await using var host = await StartWithClientAsync();
        using var admin = host.NewClient();

        var (status, html, response) = await admin.GetAsync(await ResolveAsync(host, path));
        if (status == HttpStatusCode.SeeOther)
        {
            // The bare path sends the browser to the settings page.
            response.Headers.Location!.OriginalString.ShouldBe("/dynreg/admin/settings");
            (status, html, response) = await admin.GetAsync(response.Headers.Location.OriginalString);
        }

        status.ShouldBe(HttpStatusCode.OK, html);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("default-src 'none'");
        csp.ShouldContain("form-action 'self'");
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldNotContain("unsafe-inline");
        csp.ShouldNotContain("script-src");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");

        // The one inline stylesheet is the one the CSP's hash allows; nothing else is loaded or run.
        var style = StylePattern().Match(html);
        style.Success.ShouldBeTrue();
        csp.ShouldContain($"style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style.Groups[1].Value)))}'");
        StylePattern().Matches(html).Count.ShouldBe(1);
        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain(" src=", Case.Insensitive);
        html.ShouldNotContain("<link", Case.Insensitive);
        html.ShouldNotContain(" style=", Case.Insensitive);
        html.ShouldNotContain("http://", Case.Insensitive);
        html.ShouldContain(DashboardHost.Admin); // who is signed in
    }

    [Fact]
    public async Task CustomPath_PagesAndFormsLiveThere()
    {
        await using var host = await DashboardHost.StartAsync(path: "/ops/tenant/");
        using var admin = host.NewClient();

        var html = await admin.PageAsync("/ops/tenant/settings");
        var (defaultStatus, _, _) = await admin.GetAsync("/dynreg/admin/settings");

        defaultStatus.ShouldBe(HttpStatusCode.NotFound);
        DashboardClient.Forms(html).ShouldAllBe(f => f.Action == "/ops/tenant/settings");
        html.ShouldContain("href=\"/ops/tenant/applications\"");
        using var toggled = await admin.SubmitAsync(html, "dcr-form");
        toggled.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        toggled.Headers.Location!.OriginalString.ShouldBe("/ops/tenant/settings?notice=registration-on");
    }

    private static async Task<TestHost> StartWithClientAsync()
    {
        var host = await DashboardHost.StartAsync(
            configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = true,
            build: b => b.AddConnection(ConnectionName, isDomainConnection: false));
        await host.RegisterClientAsync();

        // The flag starts on only so the client can register; the tests watch it stay as it is now.
        await host.TenantSettings.UpdateAsync(s => s with { Flags = s.Flags with { EnableDynamicClientRegistration = false } }, CancellationToken.None);
        return host;
    }

    /// <summary>Fills in the registered client's id and the connection's id.</summary>
    private static async Task<string> ResolveAsync(TestHost host, string path)
    {
        var clients = await host.Clients.ListAsync(0, 100, CancellationToken.None);
        var client = clients.Items.Single(c => c.IsDynamicallyRegistered);
        var connection = await host.Connections.FindByNameAsync(ConnectionName, CancellationToken.None);
        return path.Replace("{client}", client.ClientId).Replace("{connection}", connection!.Id);
    }

    private static Dictionary<string, string> Fields(string fields, string? token)
    {
        var values = fields.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        if (token is not null)
        {
            values[DashboardClient.TokenField] = token;
        }

        return values;
    }

    private static async Task ShouldBeRefusedAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, html);
        DashboardClient.ErrorText(html).ShouldNotBeNull().ShouldStartWith("Nothing was changed: this form was not sent from a dashboard page");
    }

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StylePattern();
}
