using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DynReg.Middleware.Testing;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>/userinfo (OpenID Connect Core §5.3, RFC 6750 §3) and Auth0's /v2/logout.</summary>
public sealed class UserInfoAndLogoutTests
{
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task UserInfo_BearerWithProfileAndEmail_ClaimsPerScope(string method)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        var accessToken = await AccessTokenAsync(host, client, "openid profile email");

        using var response = await host.Client.SendAsync(Bearer(new HttpMethod(method), accessToken));

        var body = await JsonAsync(response, HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        body.GetProperty("sub").GetString().ShouldBe(Jwt(accessToken).Subject);
        body.GetProperty("email").GetString().ShouldBe(Email);
        body.GetProperty("email_verified").GetBoolean().ShouldBeTrue();
        body.GetProperty("name").GetString().ShouldBe("Jane Doe");
        body.GetProperty("nickname").GetString().ShouldBe("user");
    }

    [Fact]
    public async Task UserInfo_OpenIdOnly_SubjectOnly()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        var accessToken = await AccessTokenAsync(host, client, "openid");

        using var response = await host.Client.SendAsync(Bearer(HttpMethod.Get, accessToken));

        var body = await JsonAsync(response, HttpStatusCode.OK);
        body.EnumerateObject().Select(p => p.Name).ShouldBe(["sub"]);
    }

    [Fact]
    public async Task UserInfo_EmailScopeOnly_NoProfileClaims()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        var accessToken = await AccessTokenAsync(host, client, "openid email");

        using var response = await host.Client.SendAsync(Bearer(HttpMethod.Get, accessToken));

        var body = await JsonAsync(response, HttpStatusCode.OK);
        body.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["email", "email_verified", "sub"]);
    }

    // RFC 6750 §2.2: the form-encoded body parameter.
    [Fact]
    public async Task UserInfo_PostWithAccessTokenInForm_Claims()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        var accessToken = await AccessTokenAsync(host, client, "openid email");

        using var response = await host.Client.PostAsync("/userinfo", new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = accessToken }));

        (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("email").GetString().ShouldBe(Email);
    }

    // RFC 6750 §3: no token is a bare Bearer challenge.
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task UserInfo_NoToken_UnauthorizedWithBearerChallenge(string method)
    {
        await using var host = await StartAsync();

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/userinfo"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("tampered")]
    [InlineData("management")]
    [InlineData("api-only")]
    public async Task UserInfo_BadToken_UnauthorizedInvalidToken(string kind)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        var token = kind switch
        {
            "not-a-jwt" => "not-a-jwt",
            "tampered" => Tamper(await AccessTokenAsync(host, client, "openid email")),

            // Wrong audience: a Management API token.
            "management" => await host.GetManagementTokenAsync(),

            // Wrong audience: an API token without openid has no {issuer}userinfo audience.
            _ => await AccessTokenAsync(host, client, ApiScope, Api, "token"),
        };

        using var response = await host.Client.SendAsync(Bearer(HttpMethod.Get, token));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer error=\"invalid_token\"");
        (await JsonAsync(response, HttpStatusCode.Unauthorized)).GetProperty("error").GetString().ShouldBe("invalid_token");
    }

    // Auth0's /v2/logout: the session ends; the next /authorize shows the login page.
    [Fact]
    public async Task Logout_WithRegisteredReturnTo_RedirectsAndEndsSession()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        await SignInAsync(browser, Implicit(client.ClientId));

        using var logout = await browser.GetAsync($"/v2/logout?client_id={client.ClientId}&returnTo={Uri.EscapeDataString(RedirectUri)}");

        logout.StatusCode.ShouldBe(HttpStatusCode.Found);
        logout.Headers.Location!.ToString().ShouldBe(RedirectUri);
        await OpenLoginPageAsync(browser, Implicit(client.ClientId));
        using var silent = await browser.GetAsync(Implicit(client.ClientId, state: "xyz", extra: ("prompt", "none")));
        ShouldBeErrorRedirect(silent, "login_required", fragment: true);
    }

    [Fact]
    public async Task Logout_WithoutReturnTo_LoggedOutPageAndSessionEnded()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        await SignInAsync(browser, Implicit(client.ClientId));

        using var logout = await browser.GetAsync("/v2/logout");

        logout.StatusCode.ShouldBe(HttpStatusCode.OK);
        logout.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        await OpenLoginPageAsync(browser, Implicit(client.ClientId));
    }

    [Theory]
    [InlineData("https://attacker.example/")]
    [InlineData("https://client.example.com/callback/")]
    [InlineData("https://client.example.com/callback?next=https://attacker.example/")]
    public async Task Logout_UnregisteredReturnTo_ErrorPageAndSessionKept(string returnTo)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        await SignInAsync(browser, Implicit(client.ClientId));

        using var logout = await browser.GetAsync($"/v2/logout?client_id={client.ClientId}&returnTo={Uri.EscapeDataString(returnTo)}");

        await ShouldBeErrorPageAsync(logout, "invalid_request");
        using var stillSignedIn = await browser.GetAsync(Implicit(client.ClientId, extra: ("prompt", "none")));
        stillSignedIn.StatusCode.ShouldBe(HttpStatusCode.Found);
        Browser.ResponseParameters(stillSignedIn.Headers.Location!, fragment: true).ShouldContainKey("access_token");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("unknown-client")]
    [InlineData("other")]
    public async Task Logout_ReturnToOfAnotherOrNoClient_ErrorPage(string? clientId)
    {
        await using var host = await StartAsync();
        await RegisterAsync(host);
        var other = await RegisterAsync(host, """{"redirect_uris":["https://other.example.com/cb"]}""");
        var named = clientId == "other" ? other.ClientId : clientId;

        using var logout = await host.Client.GetAsync("/v2/logout?returnTo=" + Uri.EscapeDataString(RedirectUri) + (named is null ? "" : "&client_id=" + named));

        await ShouldBeErrorPageAsync(logout, "invalid_request");
    }

    private static async Task<string> AccessTokenAsync(TestHost host, RegisteredClient client, string scope, string? audience = null, string responseType = "id_token token")
    {
        using var browser = host.NewBrowser();
        var location = await SignInAsync(browser, Implicit(client.ClientId, scope: scope, responseType: responseType, extra: ("audience", audience)));
        return Browser.ResponseParameters(location, fragment: true)["access_token"];
    }

    private static HttpRequestMessage Bearer(HttpMethod method, string token)
        => new(method, "/userinfo") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    private static string Tamper(string jwt)
    {
        var parts = jwt.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(parts[1]))!;
        var changed = payload.ToDictionary(p => p.Key, p => (object)p.Value);
        changed["sub"] = "auth0|someone-else";
        parts[1] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(JsonSerializer.Serialize(changed));
        return string.Join('.', parts);
    }
}
