using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Testing.Browsers;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DynReg.Middleware.BrowserTests;

/// <summary>
/// The seed's sign-in in real headless Chromium: a dynamically registered client sends the
/// browser to /authorize, the user signs in on the built-in login page, accepts the consent
/// page, and the browser lands on the client's redirect_uri with the tokens in the fragment.
/// </summary>
public sealed class SignInBrowserTests(ChromiumFixture fixture, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private const string Nonce = "n-0S6_WzA2Mj";
    private const string State = "af0ifjsldkj";

    private KestrelHost Host => fixture.Host;

    [Fact]
    public async Task ImplicitIdTokenToken_SignInAndConsent_EndsOnRedirectUriWithTokensInFragment()
    {
        var redirectUri = Host.Issuer + "app/callback";
        var clientId = await Host.RegisterClientAsync("Appointments Browser App", redirectUri);
        var (context, page, outside) = await NewPageAsync();
        await using var _ = context;

        await OpenLoginPageAsync(page, AuthorizeUrl(clientId, redirectUri));
        await Expect(page.Locator("#title")).ToHaveTextAsync("Appointments Browser App");
        await ScreenshotAsync(page, "login-page.png");

        await page.FillAsync("#email", KestrelHost.Email);
        await page.FillAsync("#password", KestrelHost.Password);
        await page.ClickAsync("#login-button");

        // C7: a third-party client's consent page, listing the API and the scope.
        await Expect(page.Locator("#accept")).ToBeVisibleAsync();
        await Expect(page.Locator("#api-name")).ToHaveTextAsync(KestrelHost.Audience);
        await Expect(page.Locator("#scopes")).ToContainTextAsync(KestrelHost.Scope);
        await ScreenshotAsync(page, "consent-page.png");

        await page.ClickAsync("#accept");
        await page.WaitForURLAsync(url => url.StartsWith(redirectUri + "#", StringComparison.Ordinal));
        await Expect(page.Locator("#callback")).ToHaveTextAsync("callback");

        var url = new Uri(page.Url);
        url.GetLeftPart(UriPartial.Path).ShouldBe(redirectUri);
        url.Query.ShouldBeEmpty();
        var fragment = ParseFragment(url.Fragment);
        fragment["state"].ShouldBe(State);
        fragment["token_type"].ShouldBe("Bearer");
        fragment["access_token"].ShouldNotBeNullOrWhiteSpace();
        fragment.ShouldNotContainKey("code");

        var idToken = JwtPayload(fragment["id_token"]);
        idToken.GetProperty("nonce").GetString().ShouldBe(Nonce);
        idToken.GetProperty("iss").GetString().ShouldBe(Host.Issuer.AbsoluteUri);
        idToken.GetProperty("aud").GetString().ShouldBe(clientId);
        idToken.GetProperty("email").GetString().ShouldBe(KestrelHost.Email);
        var accessToken = JwtPayload(fragment["access_token"]);
        accessToken.GetProperty("scope").GetString()!.Split(' ').ShouldContain(KestrelHost.Scope);

        outside.ShouldBeEmpty("requests that left 127.0.0.1");
    }

    [Fact]
    public async Task RedirectUriOnAnotherOrigin_ConsentAcceptReachesIt()
    {
        // The usual case: the client app is not on the issuer's origin (here: another port).
        var redirectUri = Host.ClientOrigin + "app/callback";
        var clientId = await Host.RegisterClientAsync("Other Origin App", redirectUri);
        var (context, page, outside) = await NewPageAsync();
        await using var _ = context;

        await OpenLoginPageAsync(page, AuthorizeUrl(clientId, redirectUri));
        await page.FillAsync("#email", KestrelHost.Email);
        await page.FillAsync("#password", KestrelHost.Password);
        await page.ClickAsync("#login-button");
        await Expect(page.Locator("#accept")).ToBeVisibleAsync();
        await page.ClickAsync("#accept");

        await page.WaitForURLAsync(url => url.StartsWith(redirectUri + "#", StringComparison.Ordinal));
        var fragment = ParseFragment(new Uri(page.Url).Fragment);
        fragment["state"].ShouldBe(State);
        fragment.ShouldContainKey("access_token");
        JwtPayload(fragment["id_token"]).GetProperty("nonce").GetString().ShouldBe(Nonce);
        outside.ShouldBeEmpty("requests that left 127.0.0.1");
    }

    [Fact]
    public async Task WrongPassword_ShowsLockMessageOnTheLoginPage()
    {
        var redirectUri = Host.Issuer + "app/callback";
        var clientId = await Host.RegisterClientAsync("Wrong Password App", redirectUri);
        var (context, page, outside) = await NewPageAsync();
        await using var _ = context;

        await OpenLoginPageAsync(page, AuthorizeUrl(clientId, redirectUri));
        await page.FillAsync("#email", KestrelHost.Email);
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("#login-button");

        await Expect(page.Locator("#error")).ToHaveTextAsync("Wrong email or password.");
        new Uri(page.Url).AbsolutePath.ShouldBe("/authorize");
        outside.ShouldBeEmpty("requests that left 127.0.0.1");
    }

    /// <summary>A fresh context (no cookies) whose page may reach 127.0.0.1 only; anything else is aborted and recorded.</summary>
    private Task<(IBrowserContext Context, IPage Page, ConcurrentQueue<string> Outside)> NewPageAsync()
        => LoopbackOnly.NewPageAsync(fixture.Browser, output, timeout: 30_000);

    /// <summary>Opens /authorize and checks the login page is what the browser shows (not an error, not a redirect).</summary>
    private static async Task OpenLoginPageAsync(IPage page, string authorizeUrl)
    {
        var response = await page.GotoAsync(authorizeUrl);
        response.ShouldNotBeNull();
        new Uri(page.Url).AbsolutePath.ShouldBe("/authorize", $"the browser is on {page.Url}");
        response.Status.ShouldBe(200, await response.TextAsync());
        await Expect(page.Locator("#login-button")).ToBeVisibleAsync();
    }

    private string AuthorizeUrl(string clientId, string redirectUri)
        => Host.Issuer + "authorize?client_id=" + Uri.EscapeDataString(clientId)
            + "&response_type=" + Uri.EscapeDataString("id_token token")
            + "&redirect_uri=" + Uri.EscapeDataString(redirectUri)
            + "&audience=" + Uri.EscapeDataString(KestrelHost.Audience)
            + "&scope=" + Uri.EscapeDataString("openid profile email " + KestrelHost.Scope)
            + "&nonce=" + Nonce + "&state=" + State;

    private Task ScreenshotAsync(IPage page, string name) => Screenshots.SaveAsync(page, name, output);

    private static Dictionary<string, string> ParseFragment(string fragment)
        => fragment.TrimStart('#').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => Uri.UnescapeDataString(kv[0]), kv => kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : string.Empty);

    /// <summary>The payload of a compact JWS, decoded (signatures are checked by the integration tests).</summary>
    private static JsonElement JwtPayload(string jwt)
    {
        var parts = jwt.Split('.');
        parts.Length.ShouldBe(3);
        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.Clone();
    }
}
