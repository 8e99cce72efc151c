using System.Net;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>CHECKLIST A20 and SPEC §8: our pages cannot be framed or cached; the session cookie's flags.</summary>
public sealed class PageSecurityTests
{
    [Fact]
    public async Task LoginPage_Headers_NotFrameableNotCachedNonceCsp()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldNotBeFrameable(response);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("script-src 'self' 'nonce-");
        csp.ShouldNotContain("'unsafe-inline' 'unsafe-eval'");
        var html = await response.Content.ReadAsStringAsync();
        var nonce = csp.Split("'nonce-")[1].Split('\'')[0];
        html.ShouldContain($"<script nonce=\"{nonce}\">");
    }

    [Fact]
    public async Task ConsentPage_Headers_NotFrameableNotCached()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        using var consent = await LogInAsync(browser, Implicit(client.ClientId));

        consent.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await consent.Content.ReadAsStringAsync()).ShouldContain("value=\"accept\"");
        ShouldNotBeFrameable(consent);
    }

    // The consent form's answer redirects to the client; browsers check form-action on that redirect too.
    [Theory]
    [InlineData("https://client.example.com/callback", "https://client.example.com")]
    [InlineData("https://client.example.com:8443/cb?x=1", "https://client.example.com:8443")]
    [InlineData("com.example.app:/oauth/callback", "com.example.app:")]
    public async Task ConsentPage_FormAction_SelfAndRedirectOrigin(string redirectUri, string origin)
    {
        await using var host = await StartAsync();
        var native = !redirectUri.StartsWith("https:", StringComparison.Ordinal);
        var client = await RegisterAsync(host, native
            ? $$"""{"application_type":"native","redirect_uris":["{{redirectUri}}"]}"""
            : $$"""{"redirect_uris":["{{redirectUri}}"]}""");
        using var browser = host.NewBrowser();

        using var consent = await LogInAsync(browser, Code(client.ClientId, redirectUri: redirectUri));

        consent.StatusCode.ShouldBe(HttpStatusCode.OK);
        FormAction(consent).ShouldBe(["'self'", origin]);
    }

    [Fact]
    public async Task LoginPage_FormAction_SelfAndRedirectOrigin()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId));

        FormAction(response).ShouldBe(["'self'", "https://client.example.com"]);
    }

    [Theory]
    [InlineData("unknown-client")]
    [InlineData(null)]
    public async Task ErrorPage_Headers_NotFrameableNotCached(string? clientId)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(clientId is null
            ? Code(client.ClientId, redirectUri: "https://client.example.com/not-registered")
            : Implicit(clientId));

        await ShouldBeErrorPageAsync(response);
        ShouldNotBeFrameable(response);
    }

    [Fact]
    public async Task CredentialPostAnswer_Headers_NotFrameableNotCached()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));

        using var login = await browser.PostCredentialsAsync(config, Email, Password);

        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldNotBeFrameable(login);
    }

    // SPEC §6 / issue 4: the session cookie is HttpOnly, Secure, SameSite=Lax; so is the browser binding.
    [Fact]
    public async Task SessionCookie_AfterSignIn_HttpOnlySecureLax()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));
        using var login = await browser.PostCredentialsAsync(config, Email, Password);

        using var callback = await browser.SubmitFormAsync(await login.Content.ReadAsStringAsync());

        var session = SetCookie(callback, "dynreg.session");
        session.ShouldContain("; httponly", Case.Insensitive);
        session.ShouldContain("; secure", Case.Insensitive);
        session.ShouldContain("; samesite=lax", Case.Insensitive);
        session.ShouldContain("; path=/", Case.Insensitive);
    }

    [Fact]
    public async Task BindingCookie_OnLoginPage_HttpOnlySecureLax()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var page = await host.Client.GetAsync(Implicit(client.ClientId));

        var binding = SetCookie(page, "dynreg.binding");
        binding.ShouldContain("; httponly", Case.Insensitive);
        binding.ShouldContain("; secure", Case.Insensitive);
        binding.ShouldContain("; samesite=lax", Case.Insensitive);
    }

    private static void ShouldNotBeFrameable(HttpResponseMessage response)
    {
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
    }

    private static string[] FormAction(HttpResponseMessage response)
        => response.Headers.GetValues("Content-Security-Policy").Single()
            .Split(';', StringSplitOptions.TrimEntries)
            .Single(d => d.StartsWith("form-action ", StringComparison.Ordinal))
            .Split(' ')[1..];

    private static string SetCookie(HttpResponseMessage response, string name)
    {
        response.Headers.TryGetValues("Set-Cookie", out var values).ShouldBeTrue();
        return values!.Single(v => v.StartsWith(name + "=", StringComparison.Ordinal));
    }
}
