using System.Net;
using DynReg.Middleware.Testing;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>
/// RFC 8707 resource indicators as MCP clients use them: <c>resource</c> at <c>/authorize</c> and
/// <c>/oauth/token</c> names an API of the host; the access token is for that API, with its scopes.
/// </summary>
public sealed class ResourceIndicatorTests
{
    private const string McpServer = "https://mcp.example.com/mcp";
    private const string McpScope = "mcp:tools";
    private const string LoopbackRedirect = "http://127.0.0.1:33418/callback";

    private static Task<TestHost> StartMcpAsync(Action<DynamicRegistrationOptions>? configure = null)
        => StartAsync(build: b => b.AddApi(McpServer, McpScope), configure: configure);

    // The body MCP clients send: no application_type, a public client, code and refresh.
    private static Task<RegisteredClient> RegisterMcpClientAsync(TestHost host)
        => RegisterAsync(host, $$"""{"client_name":"MCP Client","redirect_uris":["{{LoopbackRedirect}}"],"token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"],"scope":""}""");

    private static string McpAuthorize(string clientId, string verifier, string redirectUri = LoopbackRedirect, params (string Name, string? Value)[] resources)
        => Code(clientId, verifier, scope: McpScope, redirectUri: redirectUri, extra: resources.Length == 0 ? [("resource", McpServer)] : resources);

    private static Task<HttpResponseMessage> RedeemWithResourceAsync(TestHost host, RegisteredClient client, string code, string verifier, string? resource, string redirectUri = LoopbackRedirect)
        => TokenAsync(host, ("grant_type", "authorization_code"), ("client_id", client.ClientId), ("code", code),
            ("redirect_uri", redirectUri), ("code_verifier", verifier), ("resource", resource));

    [Fact]
    public async Task CodeFlow_WithResource_AccessTokenIsForThatApiWithItsScopeAndARefreshToken()
    {
        await using var host = await StartMcpAsync();
        var client = await RegisterMcpClientAsync(host);
        using var browser = host.NewBrowser();
        var verifier = NewVerifier();

        var location = await SignInAsync(browser, McpAuthorize(client.ClientId, verifier));
        var query = Browser.ResponseParameters(location, fragment: false);
        query["iss"].ShouldBe("https://localhost/");
        using var response = await RedeemWithResourceAsync(host, client, query["code"], verifier, McpServer);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        var token = Jwt(body.GetProperty("access_token").GetString()!);
        token.Audiences.ShouldBe([McpServer]);
        token.GetClaim("scope").Value.ShouldBe(McpScope);
        body.GetProperty("scope").GetString().ShouldBe(McpScope);
        // No openid scope: a plain OAuth client that may refresh gets a refresh token (RFC 6749 §1.5).
        body.GetProperty("refresh_token").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task CodeFlow_LoopbackRedirectOnAnotherPort_Accepted()
    {
        await using var host = await StartMcpAsync();
        var client = await RegisterMcpClientAsync(host);
        using var browser = host.NewBrowser();
        var verifier = NewVerifier();
        const string otherPort = "http://127.0.0.1:49999/callback";

        var code = await GetCodeAsync(browser, McpAuthorize(client.ClientId, verifier, otherPort));
        using var response = await RedeemWithResourceAsync(host, client, code, verifier, resource: null, redirectUri: otherPort);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Jwt(body.GetProperty("access_token").GetString()!).Audiences.ShouldBe([McpServer]);
    }

    [Theory]
    [InlineData("https://unregistered.example.com/mcp")] // not an API of the tenant
    [InlineData("mcp")]                                   // not an absolute URI
    [InlineData("https://mcp.example.com/mcp#tools")]     // a fragment (RFC 8707 §2)
    [InlineData("")]
    public async Task Authorize_BadResource_InvalidTargetRedirectWithIssAndNothingIssued(string resource)
    {
        await using var host = await StartMcpAsync();
        var client = await RegisterMcpClientAsync(host);
        using var browser = host.NewBrowser();

        using var response = await browser.GetAsync(McpAuthorize(client.ClientId, NewVerifier(), resources: ("resource", resource)));

        var parameters = ShouldBeErrorRedirect(response, "invalid_target", fragment: false, redirectUri: LoopbackRedirect);
        parameters["iss"].ShouldBe("https://localhost/"); // RFC 9207: errors carry the issuer too
        parameters["state"].ShouldBe("st-1");
    }

    [Fact]
    public async Task Authorize_TwoDifferentResources_InvalidTarget_TheSameOneTwice_Accepted()
    {
        await using var host = await StartMcpAsync();
        var client = await RegisterMcpClientAsync(host);
        using var browser = host.NewBrowser();

        using var two = await browser.GetAsync(McpAuthorize(client.ClientId, NewVerifier(), resources: [("resource", McpServer), ("resource", Api)]));
        ShouldBeErrorRedirect(two, "invalid_target", fragment: false, redirectUri: LoopbackRedirect);

        await OpenLoginPageAsync(browser, McpAuthorize(client.ClientId, NewVerifier(), resources: [("resource", McpServer), ("resource", McpServer)]));
    }

    [Fact]
    public async Task Authorize_ManagementApiAsResource_InvalidTarget()
    {
        await using var host = await StartMcpAsync();
        var client = await RegisterMcpClientAsync(host);
        using var browser = host.NewBrowser();

        using var response = await browser.GetAsync(McpAuthorize(client.ClientId, NewVerifier(), resources: ("resource", "https://localhost/api/v2/")));

        ShouldBeErrorRedirect(response, "invalid_target", fragment: false, redirectUri: LoopbackRedirect);
    }

    [Fact]
    public async Task Authorize_ApiScopeWithoutResource_InvalidScope()
    {
        await using var host = await StartMcpAsync();
        var client = await RegisterMcpClientAsync(host);
        using var browser = host.NewBrowser();

        using var response = await browser.GetAsync(Code(client.ClientId, NewVerifier(), scope: McpScope, redirectUri: LoopbackRedirect));

        ShouldBeErrorRedirect(response, "invalid_scope", fragment: false, redirectUri: LoopbackRedirect);
    }

    // Auth0's Resource Parameter Compatibility Profile: when both are sent, audience decides.
    [Fact]
    public async Task Authorize_AudienceAndResourceDiffer_AudienceWins()
    {
        await using var host = await StartMcpAsync();
        var client = await RegisterMcpClientAsync(host);
        using var browser = host.NewBrowser();
        var verifier = NewVerifier();

        var code = await GetCodeAsync(browser, Code(client.ClientId, verifier, scope: ApiScope, redirectUri: LoopbackRedirect,
            extra: [("audience", Api), ("resource", McpServer)]));
        using var response = await RedeemWithResourceAsync(host, client, code, verifier, resource: null);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Jwt(body.GetProperty("access_token").GetString()!).Audiences.ShouldBe([Api]);
    }

    [Fact]
    public async Task Token_CodeRedeemedForAnotherResource_InvalidTargetAndNothingIssued()
    {
        await using var host = await StartMcpAsync();
        var client = await RegisterMcpClientAsync(host);
        using var browser = host.NewBrowser();
        var verifier = NewVerifier();

        var code = await GetCodeAsync(browser, McpAuthorize(client.ClientId, verifier));
        using var response = await RedeemWithResourceAsync(host, client, code, verifier, Api);

        await ShouldBeTokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task Refresh_SameResource_Rotates_WiderResource_InvalidTargetAndTheTokenStaysUsable()
    {
        await using var host = await StartMcpAsync();
        var client = await RegisterMcpClientAsync(host);
        using var browser = host.NewBrowser();
        var verifier = NewVerifier();
        var code = await GetCodeAsync(browser, McpAuthorize(client.ClientId, verifier));
        using var redeemed = await RedeemWithResourceAsync(host, client, code, verifier, McpServer);
        var refreshToken = (await JsonAsync(redeemed, HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;

        using var widened = await TokenAsync(host, ("grant_type", "refresh_token"), ("client_id", client.ClientId),
            ("refresh_token", refreshToken), ("resource", Api));
        await ShouldBeTokenErrorAsync(widened, HttpStatusCode.BadRequest, "invalid_target");

        using var unknown = await TokenAsync(host, ("grant_type", "refresh_token"), ("client_id", client.ClientId),
            ("refresh_token", refreshToken), ("resource", "https://unregistered.example.com/"));
        await ShouldBeTokenErrorAsync(unknown, HttpStatusCode.BadRequest, "invalid_target");

        using var refreshed = await TokenAsync(host, ("grant_type", "refresh_token"), ("client_id", client.ClientId),
            ("refresh_token", refreshToken), ("resource", McpServer));
        var body = await JsonAsync(refreshed, HttpStatusCode.OK);
        Jwt(body.GetProperty("access_token").GetString()!).Audiences.ShouldBe([McpServer]);
        body.GetProperty("refresh_token").GetString().ShouldNotBe(refreshToken);
    }

    [Fact]
    public async Task Token_RepeatedResourceInTheForm_TwoDistinctRefused()
    {
        await using var host = await StartMcpAsync();
        var client = await RegisterMcpClientAsync(host);
        using var browser = host.NewBrowser();
        var verifier = NewVerifier();
        var code = await GetCodeAsync(browser, McpAuthorize(client.ClientId, verifier));

        using var response = await TokenAsync(host, ("grant_type", "authorization_code"), ("client_id", client.ClientId), ("code", code),
            ("redirect_uri", LoopbackRedirect), ("code_verifier", verifier), ("resource", McpServer), ("resource", Api));

        await ShouldBeTokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task Consent_NamesTheApiAskedFor()
    {
        await using var host = await StartAsync(configure: o => o.Apis.Add(new ApiResourceOptions { Identifier = McpServer, Name = "Appointments MCP server", Scopes = [McpScope] }));
        var client = await RegisterMcpClientAsync(host);
        using var browser = host.NewBrowser();

        using var consent = await LogInAsync(browser, McpAuthorize(client.ClientId, NewVerifier()));

        var html = await consent.Content.ReadAsStringAsync();
        consent.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        html.ShouldContain("<strong id=\"api-name\">Appointments MCP server</strong>");
        html.ShouldContain($"<code id=\"api-identifier\">{McpServer}</code>");
    }
    // Strict mode (Auth0's, 2026) for MCP clients too: tpc_ ids, PKCE for everyone, consent every time it is due.
    [Fact]
    public async Task StrictMode_McpClient_TpcIdPkceRequiredConsentShownAndTokenForTheResource()
    {
        await using var host = await StartMcpAsync();
        await MakeStrictAsync(host);
        var client = await RegisterMcpClientAsync(host);
        client.ClientId.ShouldStartWith("tpc_");
        using var browser = host.NewBrowser();

        using var withoutPkce = await browser.GetAsync(Code(client.ClientId, scope: McpScope, redirectUri: LoopbackRedirect, extra: ("resource", McpServer)));
        await ShouldBeErrorPageAsync(withoutPkce, "invalid_request");

        var verifier = NewVerifier();
        using var consent = await LogInAsync(browser, McpAuthorize(client.ClientId, verifier));
        consent.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await consent.Content.ReadAsStringAsync()).ShouldContain("id=\"accept\"");
        var location = await AcceptConsentIfAskedAsync(browser, consent);
        var code = Browser.ResponseParameters(location, fragment: false)["code"];
        using var response = await RedeemWithResourceAsync(host, client, code, verifier, McpServer);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Jwt(body.GetProperty("access_token").GetString()!).Audiences.ShouldBe([McpServer]);
    }
}
