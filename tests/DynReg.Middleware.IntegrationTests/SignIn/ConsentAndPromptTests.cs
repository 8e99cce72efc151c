using System.Net;
using System.Text.Json;
using DynReg.Middleware.Testing;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>CHECKLIST A13, A14, C7: consent for third-party clients, prompt=none.</summary>
public sealed class ConsentAndPromptTests
{
    // C7: the consent page is shown once per user and client; the management view says third-party.
    [Fact]
    public async Task Consent_ThirdPartyClient_AskedOnceThenRemembered()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        using var first = await LogInAsync(browser, Implicit(client.ClientId, scope: $"openid {ApiScope}", extra: ("audience", Api)));
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await first.Content.ReadAsStringAsync();
        page.ShouldContain("<strong id=\"client-name\">Partner App</strong>");
        page.ShouldContain("<strong id=\"api-name\">appointments:api</strong>");
        page.ShouldContain("<li><code>read:appointments</code></li>");
        page.ShouldContain("<li><code>openid</code></li>");
        await AcceptConsentIfAskedAsync(browser, first);

        using var second = await browser.GetAsync(Implicit(client.ClientId, scope: $"openid {ApiScope}", state: "again", extra: ("audience", Api)));
        second.StatusCode.ShouldBe(HttpStatusCode.Found);
        Browser.ResponseParameters(second.Headers.Location!, fragment: true)["state"].ShouldBe("again");

        var token = await host.GetManagementTokenAsync("read:clients");
        using var view = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, $"/api/v2/clients/{client.ClientId}", token));
        view.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await view.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("is_first_party").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Consent_AnotherThirdPartyClient_AskedAgain()
    {
        await using var host = await StartAsync();
        var first = await RegisterAsync(host);
        var second = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        await SignInAsync(browser, Implicit(first.ClientId));

        // Signed in already: no login page, but consent for the new client.
        using var response = await browser.GetAsync(Implicit(second.ClientId));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldNotContain("atob(");
        html.ShouldContain("name=\"decision\" value=\"accept\"");
    }

    [Fact]
    public async Task Consent_WiderScopeThanGranted_AskedAgain()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        await SignInAsync(browser, Implicit(client.ClientId, scope: "openid"));

        using var response = await browser.GetAsync(Implicit(client.ClientId, scope: "openid email"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("<li><code>email</code></li>");
    }

    // A13: declining is access_denied at the redirect URI, with the state, in the fragment for implicit.
    [Fact]
    public async Task Consent_Declined_RedirectsAccessDeniedWithState()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        using var consentPage = await LogInAsync(browser, Implicit(client.ClientId, state: "xyz"));
        using var declined = await browser.SubmitFormAsync(await consentPage.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["decision"] = "deny" });

        ShouldBeErrorRedirect(declined, "access_denied", fragment: true)["state"].ShouldBe("xyz");

        // Nothing was remembered: the next request asks again.
        using var again = await browser.GetAsync(Implicit(client.ClientId));
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Content.ReadAsStringAsync()).ShouldContain("value=\"accept\"");
    }

    [Fact]
    public async Task Consent_CodeFlowDeclined_RedirectsAccessDeniedInQuery()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        using var consentPage = await LogInAsync(browser, Code(client.ClientId, state: "xyz"));
        using var declined = await browser.SubmitFormAsync(await consentPage.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["decision"] = "deny" });

        ShouldBeErrorRedirect(declined, "access_denied", fragment: false)["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task Consent_DecisionPostedTwice_SecondRefused()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        using var consentPage = await LogInAsync(browser, Code(client.ClientId));
        var html = await consentPage.Content.ReadAsStringAsync();

        using var accepted = await browser.SubmitFormAsync(html, new Dictionary<string, string> { ["decision"] = "accept" });
        using var replayed = await browser.SubmitFormAsync(html, new Dictionary<string, string> { ["decision"] = "accept" });

        accepted.StatusCode.ShouldBe(HttpStatusCode.Found);
        await ShouldBeErrorPageAsync(replayed, "invalid_request");
    }

    [Fact]
    public async Task Consent_DecisionFromAnotherBrowser_Forbidden()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        using var attacker = host.NewBrowser();
        using var consentPage = await LogInAsync(browser, Code(client.ClientId));

        using var forged = await attacker.SubmitFormAsync(await consentPage.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["decision"] = "accept" });

        await ShouldBeErrorPageAsync(forged, "access_denied", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Consent_WrongCsrfToken_Forbidden()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        using var consentPage = await LogInAsync(browser, Code(client.ClientId));

        using var forged = await browser.SubmitFormAsync(await consentPage.Content.ReadAsStringAsync(),
            new Dictionary<string, string> { ["decision"] = "accept", ["_csrf"] = "forged" });

        await ShouldBeErrorPageAsync(forged, "access_denied", HttpStatusCode.Forbidden);
    }

    // A14: prompt=none and no session.
    [Fact]
    public async Task PromptNone_NoSession_RedirectsLoginRequired()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId, state: "xyz", extra: ("prompt", "none")));

        ShouldBeErrorRedirect(response, "login_required", fragment: true)["state"].ShouldBe("xyz");
    }

    // A14: prompt=none with a session but no consent yet for this client.
    [Fact]
    public async Task PromptNone_SessionWithoutConsent_RedirectsConsentRequired()
    {
        await using var host = await StartAsync();
        var signedInWith = await RegisterAsync(host);
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        await SignInAsync(browser, Implicit(signedInWith.ClientId));

        using var response = await browser.GetAsync(Code(client.ClientId, state: "xyz", extra: ("prompt", "none")));

        ShouldBeErrorRedirect(response, "consent_required", fragment: false)["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task PromptNone_SessionAndConsent_RedirectsWithTokens()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        await SignInAsync(browser, Implicit(client.ClientId));

        using var response = await browser.GetAsync(Implicit(client.ClientId, state: "xyz", extra: ("prompt", "none")));

        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        var fragment = Browser.ResponseParameters(response.Headers.Location!, fragment: true);
        fragment.ShouldContainKey("access_token");
        fragment["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task PromptLogin_WithSession_LoginPageAgain()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        await SignInAsync(browser, Implicit(client.ClientId));

        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId, extra: ("prompt", "login")));

        config.GetProperty("prompt").GetString().ShouldBe("login");
    }

    [Fact]
    public async Task PromptConsent_AfterConsent_ConsentPageAgain()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        await SignInAsync(browser, Implicit(client.ClientId));

        using var response = await browser.GetAsync(Implicit(client.ClientId, extra: ("prompt", "consent")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("value=\"accept\"");
    }
}
