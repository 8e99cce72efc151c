using System.Collections.Concurrent;
using System.Net;
using DynReg.Middleware.Testing.Browsers;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DynReg.Middleware.DashboardTests;

/// <summary>
/// The tenant owner's dashboard in headless Chromium, without a line of script on its pages: the
/// toggle opens and closes registration, promoting a connection puts it on a dynamic client's
/// login, deleting a client ends its sign-ins, and nobody else gets a page or changes a thing.
/// A screenshot of each page is kept (TestResults/screenshots).
/// </summary>
public sealed class DashboardBrowserTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>
{
    private const string Settings = DashboardSite.DashboardPath + "/settings";
    private const string Connections = DashboardSite.DashboardPath + "/connections";
    private const string Applications = DashboardSite.DashboardPath + "/applications";

    [Fact]
    public async Task Toggle_TurnsRegistrationOnThen201AndOffThen403()
    {
        await using var site = await DashboardSite.StartAsync();
        var (context, page, outside) = await SignedInPageAsync(site);
        await using var _ = context;
        (await site.RegisterAsync("Before")).Status.ShouldBe(HttpStatusCode.Forbidden);

        await page.GotoAsync(site.Url(Settings));
        await Expect(page.Locator("#dcr-status")).ToHaveTextAsync("Off");
        await ScreenshotAsync(page, "dashboard-settings.png");
        await page.ClickAsync("#dcr-toggle");

        await Expect(page.Locator("#dcr-status")).ToHaveTextAsync("On");
        await Expect(page.Locator("#notice")).ToContainTextAsync("OIDC Dynamic Client Registration is on");
        await ScreenshotAsync(page, "dashboard-settings-on.png");
        var (status, clientId) = await site.RegisterAsync("While on");
        status.ShouldBe(HttpStatusCode.Created);
        clientId.ShouldNotBeNullOrEmpty();

        await page.ClickAsync("#dcr-toggle");
        await Expect(page.Locator("#dcr-status")).ToHaveTextAsync("Off");
        (await site.RegisterAsync("After")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await site.TenantSettings.GetAsync(CancellationToken.None)).Flags.EnableDynamicClientRegistration.ShouldBeFalse();
        outside.ShouldBeEmpty("requests that left 127.0.0.1, or CSP violations");
    }

    [Fact]
    public async Task PromoteConnection_AppearsOnTheDynamicClientsLogin()
    {
        await using var site = await DashboardSite.StartAsync(registrationOn: true);
        var (_, clientId) = await site.RegisterAsync("Third-party App");
        var (context, page, outside) = await SignedInPageAsync(site);
        await using var _ = context;

        // Before: the client may use no connection, so /authorize sends the browser back with access_denied.
        await page.GotoAsync(site.AuthorizeUrl(clientId!));
        await page.WaitForURLAsync(url => url.StartsWith(site.RedirectUri, StringComparison.Ordinal));
        page.Url.ShouldContain("error=access_denied");

        await page.GotoAsync(site.Url(Connections));
        var row = page.Locator($"tr[data-connection=\"{DashboardSite.Connection}\"]");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("No");
        await ScreenshotAsync(page, "dashboard-connections.png");
        await row.Locator("button.domain-switch").ClickAsync();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Yes");
        await Expect(page.Locator("#notice")).ToHaveTextAsync("The connection is now a domain connection.");
        await ScreenshotAsync(page, "dashboard-connections-promoted.png");

        // After: the login page, offering the connection (the login config and Lock's client file list it).
        var login = await page.GotoAsync(site.AuthorizeUrl(clientId!));
        login!.Status.ShouldBe(200);
        new Uri(page.Url).AbsolutePath.ShouldBe("/authorize");
        await Expect(page.Locator("#connection option")).ToHaveAttributeAsync("value", DashboardSite.Connection);
        await Expect(page.Locator("#login-button")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "dashboard-promoted-connection-login.png");
        var clientFile = await context.APIRequest.GetAsync(site.Url($"/client/{clientId}.js"));
        (await clientFile.TextAsync()).ShouldContain($"\"name\":\"{DashboardSite.Connection}\"");
        outside.ShouldBeEmpty("requests that left 127.0.0.1, or CSP violations");
    }

    [Fact]
    public async Task DeleteClient_ItsNextAuthorizeFails()
    {
        await using var site = await DashboardSite.StartAsync(registrationOn: true, domainConnection: true);
        var (_, clientId) = await site.RegisterAsync("Doomed App");
        await site.RegisterAsync("Other App");
        var (context, page, outside) = await SignedInPageAsync(site);
        await using var _ = context;
        (await page.GotoAsync(site.AuthorizeUrl(clientId!)))!.Status.ShouldBe(200);
        await Expect(page.Locator("#login-button")).ToBeVisibleAsync();

        await page.GotoAsync(site.Url(Applications));
        await Expect(page.Locator("#applications tbody tr")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "dashboard-applications.png");
        await page.FillAsync("#q", "doomed");
        await page.ClickAsync("#search");
        await Expect(page.Locator("#applications tbody tr")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "dashboard-applications-search.png");
        await page.ClickAsync($"tr[data-client-id=\"{clientId}\"] a >> text=Manage");
        await Expect(page.Locator("#client-id")).ToHaveTextAsync(clientId!);
        await ScreenshotAsync(page, "dashboard-application.png");
        await page.ClickAsync("#delete-link");
        await Expect(page.Locator("#delete-name")).ToHaveTextAsync("Doomed App");
        await ScreenshotAsync(page, "dashboard-application-delete.png");
        await page.ClickAsync("#confirm-delete");

        await Expect(page.Locator("#notice")).ToHaveTextAsync("The application was deleted.");
        await Expect(page.Locator($"tr[data-client-id=\"{clientId}\"]")).ToHaveCountAsync(0);
        var authorize = await page.GotoAsync(site.AuthorizeUrl(clientId!));
        authorize!.Status.ShouldBe(400);
        new Uri(page.Url).AbsolutePath.ShouldBe("/authorize");
        await Expect(page.Locator("#error")).ToHaveTextAsync("invalid_client");
        (await site.Clients.FindByIdAsync(clientId!, CancellationToken.None)).ShouldBeNull();
        outside.ShouldBeEmpty("requests that left 127.0.0.1, or CSP violations");
    }

    [Fact]
    public async Task EditAndRotateSecret_SavedAndSecretShownOnce()
    {
        await using var site = await DashboardSite.StartAsync(registrationOn: true);
        var (_, clientId) = await site.RegisterAsync("Old Name");
        var (context, page, outside) = await SignedInPageAsync(site);
        await using var _ = context;
        var before = (await site.Clients.FindByIdAsync(clientId!, CancellationToken.None))!;

        await page.GotoAsync(site.Url($"{Applications}/{clientId}"));
        await page.FillAsync("#name", "New Name");
        await page.FillAsync("#redirect-uris", site.RedirectUri + "\nhttp://app.example.com/plain-http");
        await page.ClickAsync("#save");
        await Expect(page.Locator("#error")).ToContainTextAsync("uses http, which web clients may use only on a loopback host for the code flow (https otherwise)");
        await ScreenshotAsync(page, "dashboard-application-refused.png");
        (await site.Clients.FindByIdAsync(clientId!, CancellationToken.None)).ShouldBe(before);

        await page.FillAsync("#redirect-uris", site.RedirectUri + "\nhttps://app.example.com/second");
        await page.ClickAsync("#save");
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Changes saved.");
        await Expect(page.Locator("#client-name")).ToHaveTextAsync("New Name");
        await Expect(page.Locator("#redirect-uri-list li")).ToHaveCountAsync(2);

        await page.ClickAsync("#rotate");
        var secret = await page.Locator("#new-secret").TextContentAsync();
        secret!.Length.ShouldBe(64);
        await ScreenshotAsync(page, "dashboard-secret-rotated.png");
        (await site.Clients.FindByIdAsync(clientId!, CancellationToken.None))!.ClientSecretHash.ShouldNotBe(before.ClientSecretHash);
        await page.ClickAsync("#back");
        (await page.ContentAsync()).ShouldNotContain(secret);
        outside.ShouldBeEmpty("requests that left 127.0.0.1, or CSP violations");
    }

    [Fact]
    public async Task Unauthorized_GetsTheHostsLoginNotAPageAndCanChangeNothing()
    {
        await using var site = await DashboardSite.StartAsync(domainConnection: false);
        var connection = (await site.Connections.FindByNameAsync(DashboardSite.Connection, CancellationToken.None))!;
        var (context, page, outside) = await NewPageAsync();
        await using var _ = context;

        foreach (var path in new[] { Settings, Connections, Applications })
        {
            var response = await page.GotoAsync(site.Url(path));
            new Uri(page.Url).AbsolutePath.ShouldBe(DashboardSite.LoginPath);
            response!.Status.ShouldBe(200);
            (await page.ContentAsync()).ShouldNotContain("DynReg dashboard");
        }

        await ScreenshotAsync(page, "dashboard-unauthorized.png");

        // Posting the forms directly, without signing in: the host's challenge, and nothing changes.
        var forms = new (string Path, Dictionary<string, string> Fields)[]
        {
            (Settings, new() { ["enable_dynamic_client_registration"] = "true" }),
            ($"{Connections}/{connection.Id}/domain", new() { ["is_domain_connection"] = "true" }),
        };
        foreach (var (path, fields) in forms)
        {
            var post = await context.APIRequest.PostAsync(site.Url(path), new APIRequestContextOptions { Form = Form(context, fields), MaxRedirects = 0 });
            post.Status.ShouldBe(302);
            new Uri(post.Headers["location"]).AbsolutePath.ShouldBe(DashboardSite.LoginPath);
        }

        // Signed in, but posting without the page's anti-forgery token (a forged form): refused.
        await SignInAsync(page, site);
        foreach (var (path, fields) in forms)
        {
            var post = await context.APIRequest.PostAsync(site.Url(path), new APIRequestContextOptions { Form = Form(context, fields), MaxRedirects = 0 });
            post.Status.ShouldBe(400);
            (await post.TextAsync()).ShouldContain("Nothing was changed");
        }

        (await site.TenantSettings.GetAsync(CancellationToken.None)).Flags.EnableDynamicClientRegistration.ShouldBeFalse();
        (await site.Connections.FindByIdAsync(connection.Id, CancellationToken.None))!.IsDomainConnection.ShouldBeFalse();
        outside.ShouldBeEmpty("requests that left 127.0.0.1, or CSP violations");
    }

    private static IFormData Form(IBrowserContext context, Dictionary<string, string> fields)
    {
        var form = context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }

    /// <summary>A fresh context signed in through the host's own login form, the way a tenant owner arrives.</summary>
    private async Task<(IBrowserContext Context, IPage Page, ConcurrentQueue<string> Outside)> SignedInPageAsync(DashboardSite site)
    {
        var (context, page, outside) = await NewPageAsync();
        await SignInAsync(page, site);
        return (context, page, outside);
    }

    private static async Task SignInAsync(IPage page, DashboardSite site)
    {
        await page.GotoAsync(site.Url(Settings));
        await Expect(page.Locator("#host-login")).ToBeVisibleAsync();
        await page.FillAsync("#user", DashboardSite.AdminUser);
        await page.FillAsync("#password", DashboardSite.AdminPassword);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#signed-in-as")).ToHaveTextAsync(DashboardSite.AdminUser);
        new Uri(page.Url).AbsolutePath.ShouldBe(Settings);
    }

    /// <summary>
    /// A context without cookies whose pages reach 127.0.0.1 only; anything else is aborted and
    /// recorded, and so is any console report of a Content-Security-Policy violation.
    /// </summary>
    private async Task<(IBrowserContext Context, IPage Page, ConcurrentQueue<string> Outside)> NewPageAsync()
    {
        var (context, page, outside) = await LoopbackOnly.NewPageAsync(chromium.Browser, output, timeout: 30_000);
        page.Console += (_, message) =>
        {
            // A page the CSP blocked a part of (its stylesheet, say) would say so here.
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                outside.Enqueue("CSP: " + message.Text);
            }
        };
        return (context, page, outside);
    }

    private Task ScreenshotAsync(IPage page, string name) => Screenshots.SaveAsync(page, name, output);
}
