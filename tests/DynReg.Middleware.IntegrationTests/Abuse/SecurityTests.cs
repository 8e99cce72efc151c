using System.Net;
using System.Text.RegularExpressions;
using DynReg.Middleware.IntegrationTests.SignIn;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Abuse;

/// <summary>
/// SPEC §8 and A19 as an attacker would try them: secrets compared in constant time, no open
/// redirect through an attacker-registered client, anti-forgery on every form post of ours, cookie
/// flags, and no framing of any page.
/// </summary>
/// <remarks>
/// Code review (constant-time comparison): client secrets are compared in exactly one place,
/// <c>ClientSecrets.Verify</c>, which hashes the presented secret with SHA-256 and compares the two
/// 32-byte digests with <c>CryptographicOperations.FixedTimeEquals</c>: the time does not depend on
/// where they differ, nor on the presented secret's length (the digests are always 32 bytes).
/// <c>ClientAuthenticator</c> calls it for every secret, and for an unknown client against a
/// throw-away hash, so an unknown id takes the same path. The login and consent anti-forgery
/// tokens and the browser binding go through <c>BrowserBinding.FixedTimeEquals</c>. The tests below
/// show the path is the one used: equal-length and other-length wrong secrets are refused alike.
/// </remarks>
public sealed class SecurityTests
{
    private const string AttackerUri = "https://attacker.example/cb";

    [Theory]
    [InlineData("same length")]
    [InlineData("shorter")]
    [InlineData("longer")]
    [InlineData("empty")]
    [InlineData("prefix of the right one")]
    public async Task Token_WrongSecret_InvalidClientWhateverItsLength(string kind)
    {
        await using var host = await SignInKit.StartAsync();
        var client = await SignInKit.RegisterAsync(host);
        var right = client.ClientSecret!;
        var wrong = kind switch
        {
            "same length" => right[..^1] + (right[^1] == 'A' ? 'B' : 'A'),
            "shorter" => right[..10],
            "longer" => right + "A",
            "empty" => string.Empty,
            _ => right[..^1],
        };
        wrong.ShouldNotBe(right);

        using var viaBody = await SignInKit.RedeemAsync(host, client with { ClientSecret = wrong }, "any-code");
        await SignInKit.ShouldBeTokenErrorAsync(viaBody, HttpStatusCode.Unauthorized, "invalid_client");

        using var basic = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = "any-code", ["redirect_uri"] = SignInKit.RedirectUri }),
        };
        basic.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(client.ClientId + ":" + Uri.EscapeDataString(wrong))));
        using var viaBasic = await host.Client.SendAsync(basic);
        await SignInKit.ShouldBeTokenErrorAsync(viaBasic, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public void ClientSecretsVerify_OnlyTheExactSecret()
    {
        var secret = ClientSecrets.Generate();
        var hash = ClientSecrets.Hash(secret);

        ClientSecrets.Verify(secret, hash).ShouldBeTrue();
        ClientSecrets.Verify(secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a'), hash).ShouldBeFalse();
        ClientSecrets.Verify(secret + "a", hash).ShouldBeFalse();
        ClientSecrets.Verify(secret[..32], hash).ShouldBeFalse();
        ClientSecrets.Verify(hash, hash).ShouldBeFalse();
        ClientSecrets.Verify(secret, "plain:" + secret).ShouldBeFalse();
    }

    [Theory]
    [InlineData("scope", "openid admin:everything", "invalid_scope")]
    [InlineData("prompt", "none", "login_required")]
    [InlineData("response_type", "code id_token", "unsupported_response_type")]
    public async Task A19_Permissive_AttackerClientErrorsGoOnlyToItsOwnRegisteredUri(string name, string value, string error)
    {
        await using var host = await SignInKit.StartAsync();
        var attacker = await SignInKit.RegisterAsync(host, $$"""{"client_name":"Totally Legit","redirect_uris":["{{AttackerUri}}"]}""");
        using var browser = host.NewBrowser();

        using var response = await browser.GetAsync(Query(attacker.ClientId, AttackerUri, (name, value)));

        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        var location = response.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).ShouldBe(AttackerUri);
        Browser.ResponseParameters(location, fragment: location.Fragment.Length > 0)["error"].ShouldBe(error);
    }

    [Theory]
    [InlineData("scope", "openid admin:everything")]
    [InlineData("prompt", "none")]
    public async Task A19_Strict_AttackerClientErrorsArePagesNeverRedirects(string name, string value)
    {
        await using var host = await SignInKit.StartAsync();
        await SignInKit.MakeStrictAsync(host);
        var attacker = await SignInKit.RegisterAsync(host, $$"""{"client_name":"Totally Legit","redirect_uris":["{{AttackerUri}}"]}""");
        using var browser = host.NewBrowser();

        using var response = await browser.GetAsync(Query(attacker.ClientId, AttackerUri, (name, value), ("code_challenge", SignInKit.Challenge(SignInKit.NewVerifier())), ("code_challenge_method", "S256")));

        await SignInKit.ShouldBeErrorPageAsync(response);
    }

    [Theory]
    [InlineData("https://victim.example/cb")]
    [InlineData("https://attacker.example/cb/")]
    [InlineData("https://ATTACKER.example/cb")]
    [InlineData("https://attacker.example/cb?next=https://victim.example")]
    [InlineData("https://attacker.example/cb/../other")]
    [InlineData("https://victim.example@attacker.example/cb")]
    [InlineData("https://attacker.example.victim.example/cb")]
    [InlineData("//attacker.example/cb")]
    public async Task A19_RedirectUriNotExactlyRegistered_PageEvenWithAnotherError(string redirectUri)
    {
        await using var host = await SignInKit.StartAsync();
        var attacker = await SignInKit.RegisterAsync(host, $$"""{"redirect_uris":["{{AttackerUri}}"]}""");
        using var browser = host.NewBrowser();

        using var response = await browser.GetAsync(Query(attacker.ClientId, redirectUri, ("scope", "openid admin:everything")));

        await SignInKit.ShouldBeErrorPageAsync(response);
    }

    [Fact]
    public async Task Csrf_LoginPostWithoutTokenOrFromAnotherBrowser_Refused()
    {
        await using var host = await SignInKit.StartAsync();
        var client = await SignInKit.RegisterAsync(host);
        using var victim = host.NewBrowser();
        var config = await SignInKit.OpenLoginPageAsync(victim, SignInKit.Implicit(client.ClientId));
        var transaction = config.GetProperty("internalOptions").GetProperty("state").GetString()!;
        var csrf = config.GetProperty("internalOptions").GetProperty("_csrf").GetString()!;
        using var attacker = host.NewBrowser();

        foreach (var (browser, fields) in new[]
        {
            (victim, new Dictionary<string, string> { ["state"] = transaction, ["username"] = SignInKit.Email, ["password"] = SignInKit.Password }),
            (victim, new Dictionary<string, string> { ["state"] = transaction, ["_csrf"] = csrf + "x", ["username"] = SignInKit.Email, ["password"] = SignInKit.Password }),
            (attacker, new Dictionary<string, string> { ["state"] = transaction, ["_csrf"] = csrf, ["username"] = SignInKit.Email, ["password"] = SignInKit.Password }),
        })
        {
            using var response = await browser.Client.PostAsync("/usernamepassword/login", new FormUrlEncodedContent(fields));
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await response.Content.ReadAsStringAsync()).ShouldContain("invalid_csrf");
        }
    }

    [Fact]
    public async Task Csrf_CallbackFromAnotherBrowser_RefusedAndNoSession()
    {
        await using var host = await SignInKit.StartAsync();
        var client = await SignInKit.RegisterAsync(host);
        using var victim = host.NewBrowser();
        var config = await SignInKit.OpenLoginPageAsync(victim, SignInKit.Implicit(client.ClientId));
        using var login = await victim.PostCredentialsAsync(config, SignInKit.Email, SignInKit.Password);
        var form = await login.Content.ReadAsStringAsync();
        using var attacker = host.NewBrowser();

        using var response = await attacker.SubmitFormAsync(form);

        await SignInKit.ShouldBeErrorPageAsync(response, "access_denied", HttpStatusCode.Forbidden);
        response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).ShouldNotContain(c => c.StartsWith("dynreg.session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Csrf_ConsentWithoutTokenOrFromAnotherBrowser_Refused()
    {
        await using var host = await SignInKit.StartAsync();
        var client = await SignInKit.RegisterAsync(host);
        using var victim = host.NewBrowser();
        using var consent = await SignInKit.LogInAsync(victim, SignInKit.Implicit(client.ClientId));
        var html = await consent.Content.ReadAsStringAsync();
        html.ShouldContain("name=\"_csrf\"");
        var state = Regex.Match(html, "name=\"state\" value=\"([^\"]+)\"").Groups[1].Value;
        using var attacker = host.NewBrowser();

        using var withoutToken = await victim.Client.PostAsync("/authorize/consent", new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = state, ["decision"] = "accept" }));
        await SignInKit.ShouldBeErrorPageAsync(withoutToken, "access_denied", HttpStatusCode.Forbidden);

        using var otherBrowser = await attacker.SubmitFormAsync(html, new Dictionary<string, string> { ["decision"] = "accept" });
        await SignInKit.ShouldBeErrorPageAsync(otherBrowser, "access_denied", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Cookies_SessionAndBinding_HttpOnlySecureSameSiteLax()
    {
        await using var host = await SignInKit.StartAsync();
        var client = await SignInKit.RegisterAsync(host);
        using var browser = host.NewBrowser();
        using var page = await browser.GetAsync(SignInKit.Implicit(client.ClientId));
        var config = Browser.LoginConfig(await page.Content.ReadAsStringAsync());
        using var login = await browser.PostCredentialsAsync(config, SignInKit.Email, SignInKit.Password);
        using var callback = await browser.SubmitFormAsync(await login.Content.ReadAsStringAsync());

        foreach (var (response, name) in new[] { (page, "dynreg.binding"), (callback, "dynreg.session") })
        {
            response.Headers.TryGetValues("Set-Cookie", out var values).ShouldBeTrue(name);
            var cookie = values!.Single(v => v.StartsWith(name + "=", StringComparison.Ordinal)).ToLowerInvariant();
            cookie.ShouldContain("httponly");
            cookie.ShouldContain("secure");
            cookie.ShouldContain("samesite=lax");
            cookie.ShouldContain("path=/");
        }
    }

    [Fact]
    public async Task EveryHtmlPage_ForbidsFraming()
    {
        await using var host = await SignInKit.StartAsync();
        var client = await SignInKit.RegisterAsync(host);
        using var browser = host.NewBrowser();
        var pages = new List<(string Name, HttpResponseMessage Response)>();

        pages.Add(("error page", await browser.GetAsync("/authorize?client_id=nobody")));
        pages.Add(("login page", await browser.GetAsync(SignInKit.Implicit(client.ClientId, extra: [("response_mode", "form_post")]))));
        var config = Browser.LoginConfig(await pages[^1].Response.Content.ReadAsStringAsync());
        pages.Add(("credential answer", await browser.PostCredentialsAsync(config, SignInKit.Email, SignInKit.Password)));
        pages.Add(("consent page", await browser.SubmitFormAsync(await pages[^1].Response.Content.ReadAsStringAsync())));
        pages.Add(("form_post page", await browser.SubmitFormAsync(await pages[^1].Response.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["decision"] = "accept" })));
        pages.Add(("logged out page", await browser.GetAsync("/v2/logout")));
        pages.Add(("query too long page", await browser.GetAsync("/authorize?x=" + new string('a', 9000))));

        foreach (var (name, response) in pages)
        {
            response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html", name);
            response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"], name);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            csp.ShouldContain("frame-ancestors 'none'", customMessage: name);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue(name);
            response.Dispose();
        }

        pages.Select(p => p.Name).ShouldContain("form_post page");
    }

    private static string Query(string clientId, string redirectUri, params (string Name, string? Value)[] extra)
    {
        var parameters = new List<(string, string?)>
        {
            ("client_id", clientId), ("response_type", "code"), ("redirect_uri", redirectUri), ("scope", "openid"), ("state", "s1"),
        };
        foreach (var (name, value) in extra)
        {
            parameters.RemoveAll(p => p.Item1 == name);
            parameters.Add((name, value));
        }

        return SignInKit.Authorize([.. parameters]);
    }
}
