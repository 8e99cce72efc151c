using System.Net;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>
/// CHECKLIST A19 and SPEC §4: in permissive mode a registrant's redirect URI receives errors;
/// a strict-mode client gets an error page instead, needs PKCE and cannot use implicit.
/// </summary>
public sealed class SecurityModeTests
{
    private const string AttackerUri = "https://attacker.example/landing";

    // A19, permissive (the seed's flow, SPEC §4): the error is redirected, as RFC 6749 says.
    [Fact]
    public async Task Permissive_AttackerRedirectWithBadScope_ErrorRedirected()
    {
        await using var host = await StartAsync();
        var attacker = await RegisterAsync(host, $$"""{"client_name":"Totally Legit","redirect_uris":["{{AttackerUri}}"]}""");

        using var response = await host.Client.GetAsync(Authorize(
            ("client_id", attacker.ClientId), ("response_type", "code"), ("redirect_uri", AttackerUri), ("scope", "openid nope"), ("state", "s")));

        ShouldBeErrorRedirect(response, "invalid_scope", fragment: false, redirectUri: AttackerUri);
    }

    // A19, strict: no automatic redirect to a registrant's URI on an error.
    [Theory]
    [InlineData("openid nope", null, "invalid_scope")]
    [InlineData("openid", "none", "login_required")]
    [InlineData("openid", "sideways", "invalid_request")]
    public async Task Strict_AttackerRedirectWithError_ErrorPageNoRedirect(string scope, string? prompt, string error)
    {
        await using var host = await StartAsync();
        await MakeStrictAsync(host);
        var attacker = await RegisterAsync(host, $$"""{"client_name":"Totally Legit","redirect_uris":["{{AttackerUri}}"]}""");
        attacker.ClientId.ShouldStartWith("tpc_");

        using var response = await host.Client.GetAsync(Code(attacker.ClientId, NewVerifier(), scope: scope, redirectUri: AttackerUri, extra: ("prompt", prompt)));

        var html = await ShouldBeErrorPageAsync(response, error);
        html.ShouldNotContain(AttackerUri);
    }

    // The error page shows the description; whatever the request put in it is HTML-encoded.
    [Fact]
    public async Task Strict_ScopeWithMarkup_ErrorPageEncodesIt()
    {
        await using var host = await StartAsync();
        await MakeStrictAsync(host);
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Code(client.ClientId, NewVerifier(), scope: "openid <script>alert(1)</script>"));

        var html = await ShouldBeErrorPageAsync(response, "invalid_scope");
        html.ShouldNotContain("<script>alert(1)</script>");
        html.ShouldContain("&lt;script&gt;");
    }

    [Fact]
    public async Task Strict_ConfidentialClientWithoutPkce_ErrorPage()
    {
        await using var host = await StartAsync();
        await MakeStrictAsync(host);
        var client = await RegisterAsync(host);
        client.ClientSecret.ShouldNotBeNull();

        using var response = await host.Client.GetAsync(Code(client.ClientId));

        await ShouldBeErrorPageAsync(response, "invalid_request");
    }

    // A22 note: Auth0's strict mode refuses parameters it does not support; permissive ignores them.
    [Theory]
    [InlineData("claims", """{"id_token":{"email":null}}""")]
    [InlineData("id_token_hint", "eyJhbGciOiJub25lIn0.e30.")]
    public async Task Strict_UnsupportedParameter_ErrorPageWhilePermissiveIgnoresIt(string name, string value)
    {
        await using var host = await StartAsync();
        var permissive = await RegisterAsync(host);
        await MakeStrictAsync(host);
        var strict = await RegisterAsync(host);
        var verifier = NewVerifier();

        using var strictResponse = await host.Client.GetAsync(Code(strict.ClientId, verifier, extra: [(name, value)]));
        using var permissiveResponse = await host.Client.GetAsync(Code(permissive.ClientId, verifier, extra: [(name, value)]));

        (await ShouldBeErrorPageAsync(strictResponse, "invalid_request")).ShouldContain(name);
        permissiveResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("id_token token")]
    public async Task Strict_ImplicitResponseType_ErrorPage(string responseType)
    {
        await using var host = await StartAsync();
        await MakeStrictAsync(host);
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId, responseType: responseType));

        await ShouldBeErrorPageAsync(response, "unauthorized_client");
    }

    [Fact]
    public async Task Strict_DeclinedConsent_ErrorPageNoRedirect()
    {
        await using var host = await StartAsync();
        await MakeStrictAsync(host);
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        using var consentPage = await LogInAsync(browser, Code(client.ClientId, NewVerifier()));
        consentPage.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var declined = await browser.SubmitFormAsync(await consentPage.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["decision"] = "deny" });

        await ShouldBeErrorPageAsync(declined, "access_denied");
    }

    [Fact]
    public async Task Strict_CodeWithPkce_SignsInAndRedeems()
    {
        await using var host = await StartAsync();
        await MakeStrictAsync(host);
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var verifier = NewVerifier();

        var code = await GetCodeAsync(browser, Code(client.ClientId, verifier, scope: "openid offline_access"));
        using var response = await RedeemAsync(host, client, code, verifier);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        body.GetProperty("refresh_token").GetString().ShouldNotBeNullOrEmpty();
    }

    // A client keeps the mode it registered under: strict clients stay strict when the tenant turns permissive.
    [Fact]
    public async Task Strict_TenantBackToPermissive_ClientStillStrict()
    {
        await using var host = await StartAsync();
        await MakeStrictAsync(host);
        var client = await RegisterAsync(host);
        await host.TenantSettings.UpdateAsync(s => s with { DynamicClientRegistrationSecurityMode = DynamicClientRegistrationSecurityMode.Permissive }, CancellationToken.None);

        using var response = await host.Client.GetAsync(Code(client.ClientId, NewVerifier(), scope: "openid nope"));

        await ShouldBeErrorPageAsync(response, "invalid_scope");
    }

    [Fact]
    public async Task Permissive_ClientRegisteredBeforeStrict_StillRedirectsErrors()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        await MakeStrictAsync(host);

        using var response = await host.Client.GetAsync(Code(client.ClientId, scope: "openid nope"));

        ShouldBeErrorRedirect(response, "invalid_scope", fragment: false);
    }
}
