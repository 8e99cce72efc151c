using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DynReg.Middleware.Testing.Browsers;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DynReg.Middleware.SampleTests;

/// <summary>
/// The sample's demo page (/demo) in headless Chromium against the sample app started over
/// https: it registers itself, the user signs in and consents, and /demo/callback ends with
/// the answer of the host's protected API. Every request that would leave 127.0.0.1 is aborted.
/// </summary>
public sealed class DemoPageBrowserTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>
{
    private const string Email = SampleSignIn.Email;
    private const string Password = SampleSignIn.Password;
    private const string Connection = SampleSignIn.Connection;

    // https: the demo as `dotnet run` serves it; http: the fallback without a certificate (and the http profile).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DemoPage_RegisterSignInConsent_EndsWithTheApisAnswer(bool https)
    {
        await using var sample = await SampleProcess.StartAsync(https, "--DynReg:InitialTenantSettings:EnableDynamicClientRegistration=true");
        await SampleSignIn.PromoteConnectionAsync(sample);
        var (context, page, outside) = await NewPageAsync();
        await using var _ = context;

        try
        {
            await page.GotoAsync(sample.BaseAddress + "demo");
            await Expect(page.Locator("#flag-state")).ToHaveTextAsync("on");
            await Expect(page.Locator("#connection-state")).ToHaveTextAsync(Connection);
            await Expect(page.Locator("#setup-help")).ToBeHiddenAsync();

            await page.ClickAsync("#register");
            await Expect(page.Locator("#client-id")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Za-z0-9]{32}$"));
            var clientId = await page.TextContentAsync("#client-id");
            await Expect(page.Locator("#registration")).ToContainTextAsync(sample.BaseAddress + "demo/callback");

            await page.ClickAsync("#sign-in");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/authorize");
            await page.FillAsync("#email", Email);
            await page.FillAsync("#password", Password);
            await page.ClickAsync("#login-button");
            await Expect(page.Locator("#accept")).ToBeVisibleAsync();
            await page.ClickAsync("#accept");

            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/demo/callback");
            await Expect(page.Locator("#api-status")).ToHaveTextAsync("200");
            await ScreenshotAsync(page, $"demo-page-callback-{sample.BaseAddress.Scheme}.png");

            var idToken = JsonNode.Parse((await page.TextContentAsync("#id-token"))!)!;
            idToken["aud"]!.GetValue<string>().ShouldBe(clientId);
            idToken["iss"]!.GetValue<string>().ShouldBe(sample.BaseAddress.AbsoluteUri);
            idToken["email"]!.GetValue<string>().ShouldBe(Email);
            var accessToken = JsonNode.Parse((await page.TextContentAsync("#access-token"))!)!;
            accessToken["scope"]!.GetValue<string>().Split(' ').ShouldContain("read:appointments");
            var api = JsonNode.Parse((await page.TextContentAsync("#api-result"))!)!;
            api["sub"]!.GetValue<string>().ShouldBe(idToken["sub"]!.GetValue<string>());
            api["appointments"]!.AsArray().Count.ShouldBe(3);

            new Uri(page.Url).Fragment.ShouldBeEmpty("the page takes the tokens out of the address bar");
            await Expect(page.Locator("#error")).ToBeHiddenAsync();
            outside.ShouldBeEmpty("requests that left 127.0.0.1");
        }
        catch
        {
            await ScreenshotAsync(page, $"demo-page-failure-{sample.BaseAddress.Scheme}.png");
            output.WriteLine(sample.Output);
            throw;
        }
    }

    [Fact]
    public async Task DemoPage_FlagOff_ExplainsTheWalkthroughAndTheDevelopmentButtonTurnsItOn()
    {
        await using var sample = await SampleProcess.StartAsync(https: true);
        var (context, page, outside) = await NewPageAsync();
        await using var _ = context;

        await page.GotoAsync(sample.BaseAddress + "demo");
        await Expect(page.Locator("#flag-state")).ToHaveTextAsync("off");
        await Expect(page.Locator("#connection-state")).ToHaveTextAsync("none");
        await Expect(page.Locator("#setup-help")).ToContainTextAsync("README");
        await Expect(page.Locator("#register")).ToBeDisabledAsync();
        await ScreenshotAsync(page, "demo-page-flag-off.png");

        await page.ClickAsync("#enable");
        await Expect(page.Locator("#flag-state")).ToHaveTextAsync("on");
        await Expect(page.Locator("#connection-state")).ToHaveTextAsync(Connection);
        await Expect(page.Locator("#enable-result")).ToContainTextAsync("PATCH api/v2/tenants/settings → 200");
        await Expect(page.Locator("#register")).ToBeEnabledAsync();
        outside.ShouldBeEmpty("requests that left 127.0.0.1");

        // The button's endpoint answers only its own origin's page.
        using var client = sample.CreateClient();
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "demo/enable") { Content = JsonContent.Create(new { }) };
        crossSite.Headers.Add("Origin", "https://attacker.example");
        using var refused = await client.SendAsync(crossSite);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    /// <summary>A fresh context (no cookies) whose page may reach 127.0.0.1 only; anything else is aborted and recorded.</summary>
    private Task<(IBrowserContext Context, IPage Page, ConcurrentQueue<string> Outside)> NewPageAsync()
        => LoopbackOnly.NewPageAsync(chromium.Browser, output, timeout: 30_000);

    private Task ScreenshotAsync(IPage page, string name) => Screenshots.SaveAsync(page, name, output);
}
