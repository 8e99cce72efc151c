using System.Net;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>
/// CHECKLIST A1-A3, A18: until client and redirect URI are trusted, /authorize answers with an
/// error page and never redirects; redirect URIs compare as exact strings.
/// </summary>
public sealed class AuthorizeClientAndRedirectUriTests
{
    [Fact]
    public async Task Authorize_UnknownClient_ErrorPageWithoutLocation()
    {
        await using var host = await StartAsync();
        using var response = await host.Client.GetAsync(Implicit("no-such-client"));

        await ShouldBeErrorPageAsync(response, "invalid_client");
    }

    [Fact]
    public async Task Authorize_MissingClientId_ErrorPageWithoutLocation()
    {
        await using var host = await StartAsync();
        using var response = await host.Client.GetAsync(Authorize(("response_type", "code"), ("redirect_uri", RedirectUri), ("state", "s")));

        await ShouldBeErrorPageAsync(response, "invalid_request");
    }

    // A2: simple string comparison; none of these is the registered https://client.example.com/callback.
    [Theory]
    [InlineData("https://client.example.com/callback/")]
    [InlineData("https://CLIENT.example.com/callback")]
    [InlineData("https://client.example.com/Callback")]
    [InlineData("https://client.example.com/callback?x=1")]
    [InlineData("https://client.example.com:8443/callback")]
    [InlineData("https://client.example.com:443/callback")]
    [InlineData("http://client.example.com/callback")]
    [InlineData("https://client.example.com/callback#frag")]
    [InlineData("https://attacker.example/callback")]
    [InlineData("https://client.example.com/callback/../callback")]
    public async Task Authorize_RedirectUriNotExactlyRegistered_ErrorPageWithoutLocation(string redirectUri)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Authorize(
            ("client_id", client.ClientId), ("response_type", "code"), ("redirect_uri", redirectUri), ("scope", "openid"), ("state", "s")));

        var html = await ShouldBeErrorPageAsync(response, "invalid_request");
        html.ShouldNotContain("client.example.com");
    }

    [Fact]
    public async Task Authorize_RedirectUriRegisteredWithQuery_OnlyTheExactQueryMatches()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, """{"redirect_uris":["https://client.example.com/cb?tenant=a"]}""");

        using var other = await host.Client.GetAsync(Code(client.ClientId, redirectUri: "https://client.example.com/cb?tenant=b"));
        using var none = await host.Client.GetAsync(Code(client.ClientId, redirectUri: "https://client.example.com/cb"));
        using var exact = await host.Client.GetAsync(Code(client.ClientId, redirectUri: "https://client.example.com/cb?tenant=a"));

        await ShouldBeErrorPageAsync(other, "invalid_request");
        await ShouldBeErrorPageAsync(none, "invalid_request");
        exact.StatusCode.ShouldBe(HttpStatusCode.OK);
        Testing.Browser.LoginConfig(await exact.Content.ReadAsStringAsync()).GetProperty("callbackURL").GetString().ShouldBe("https://client.example.com/cb?tenant=a");
    }

    // A3: OpenID Connect always requires redirect_uri; with several registered the server cannot choose.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Authorize_RedirectUriMissing_ErrorPageWithoutLocation(int registered)
    {
        await using var host = await StartAsync();
        var uris = registered == 1 ? $"\"{RedirectUri}\"" : $"\"{RedirectUri}\",\"https://client.example.com/other\"";
        var client = await RegisterAsync(host, $$"""{"redirect_uris":[{{uris}}]}""");

        using var response = await host.Client.GetAsync(Authorize(("client_id", client.ClientId), ("response_type", "code"), ("scope", "openid"), ("state", "s")));

        await ShouldBeErrorPageAsync(response, "invalid_request");
    }

    [Fact]
    public async Task Authorize_RedirectUriRepeated_ErrorPageWithoutLocation()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Authorize(
            ("client_id", client.ClientId), ("response_type", "code"), ("redirect_uri", RedirectUri), ("redirect_uri", RedirectUri), ("state", "s")));

        await ShouldBeErrorPageAsync(response, "invalid_request");
    }

    // A2, RFC 8252 §7.3: a native client's http loopback redirect URI matches on any port.
    [Theory]
    [InlineData("http://127.0.0.1:53172/callback")]
    [InlineData("http://127.0.0.1:8080/callback")]
    [InlineData("http://127.0.0.1/callback")]
    public async Task Authorize_NativeClientLoopbackOnAnyPort_LoginPage(string redirectUri)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, """{"application_type":"native","redirect_uris":["http://127.0.0.1/callback"]}""");

        using var response = await host.Client.GetAsync(Code(client.ClientId, redirectUri: redirectUri));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Testing.Browser.LoginConfig(await response.Content.ReadAsStringAsync()).GetProperty("callbackURL").GetString().ShouldBe(redirectUri);
    }

    [Theory]
    [InlineData("http://127.0.0.1:53172/other")]
    [InlineData("http://localhost:53172/callback")]
    [InlineData("https://127.0.0.1:53172/callback")]
    public async Task Authorize_NativeClientLoopbackOtherPathHostOrScheme_ErrorPage(string redirectUri)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, """{"application_type":"native","redirect_uris":["http://127.0.0.1/callback"]}""");

        using var response = await host.Client.GetAsync(Code(client.ClientId, redirectUri: redirectUri));

        await ShouldBeErrorPageAsync(response, "invalid_request");
    }

    // RFC 8252 §7.3: an http loopback redirect URI matches on any port, whoever registered it (MCP
    // clients register no application_type); scheme, host, path and query still compare exactly.
    [Theory]
    [InlineData("http://127.0.0.1:5000/callback", "http://127.0.0.1:5001/callback")]
    [InlineData("http://127.0.0.1/callback", "http://127.0.0.1:49152/callback")]
    [InlineData("http://localhost:33418/callback", "http://localhost:61234/callback")]
    [InlineData("http://[::1]:8080/cb?x=1", "http://[::1]:9090/cb?x=1")]
    public async Task Authorize_LoopbackPortDiffers_LoginPage(string registered, string requested)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{registered}}"],"token_endpoint_auth_method":"none"}""");

        using var response = await host.Client.GetAsync(Code(client.ClientId, NewVerifier(), redirectUri: requested));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("invalid_request");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/callback", "http://localhost:5000/callback")] // another host
    [InlineData("http://127.0.0.1:5000/callback", "http://127.0.0.1:5000/other")]    // another path
    [InlineData("http://127.0.0.1:5000/callback", "http://127.0.0.1:5000/callback?x=1")] // another query
    [InlineData("http://127.0.0.1:5000/callback", "https://127.0.0.1:5000/callback")] // another scheme
    [InlineData("https://localhost:5000/callback", "https://localhost:5001/callback")] // https: exact
    public async Task Authorize_LoopbackOtherThanPortDiffers_ErrorPage(string registered, string requested)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{registered}}"],"token_endpoint_auth_method":"none"}""");

        using var response = await host.Client.GetAsync(Code(client.ClientId, NewVerifier(), redirectUri: requested));

        await ShouldBeErrorPageAsync(response, "invalid_request");
    }

    // A18, RFC 9700 §2.6: no CORS on /authorize, whatever the answer.
    [Fact]
    public async Task Authorize_WithOrigin_NoAccessControlAllowOrigin()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        foreach (var url in new[] { Implicit(client.ClientId), Implicit("unknown-client"), Implicit(client.ClientId, scope: "openid bogus") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Origin", "https://client.example.com");
            using var response = await browser.Client.SendAsync(request);
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Found);
            response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse(url);
            response.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse(url);
        }

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/authorize");
        preflight.Headers.Add("Origin", "https://client.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var answer = await browser.Client.SendAsync(preflight);
        answer.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }
}
