using System.Net;
using System.Text.Json;
using DynReg.Middleware.IntegrationTests.SignIn;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.InMemory;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DynReg.Middleware.IntegrationTests.Hosting;

/// <summary>
/// The cross-cutting refusals (store outage, plain http to an https issuer) answer in the shape
/// of the endpoint's surface: an HTML page to a browser, Auth0's error shape on /api/v2, Lock's
/// JSON on the endpoints Lock calls, RFC 6749 JSON on the protocol endpoints.
/// </summary>
public sealed class SurfaceErrorTests
{
    private const string PlainHttp = "http://localhost";

    // RFC 9110 §15.6.4: 503 with Retry-After; a browser gets a page it can show, not JSON.
    [Theory]
    [InlineData("/authorize?client_id=any-client&response_type=code&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcallback")]
    [InlineData("/v2/logout?client_id=any-client&returnTo=https%3A%2F%2Fclient.example.com%2F")]
    public async Task BrowserEndpoint_StoreOutage_503HtmlPage(string pathAndQuery)
    {
        await using var host = await StartWithSwitchableClientStoreAsync();
        host.Services.GetRequiredService<ClientStoreOutage>().Down = true;

        using var response = await host.NewBrowser().GetAsync(pathAndQuery);

        await ShouldBeUnavailablePageAsync(response);
    }

    [Fact]
    public async Task LoginCallback_StoreOutage_503HtmlPage()
    {
        await using var host = await StartWithSwitchableClientStoreAsync();
        var client = await SignInKit.RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await SignInKit.OpenLoginPageAsync(browser, SignInKit.Code(client.ClientId));
        using var login = await browser.PostCredentialsAsync(config, SignInKit.Email, SignInKit.Password);
        var form = await login.Content.ReadAsStringAsync();
        login.StatusCode.ShouldBe(HttpStatusCode.OK, form);
        host.Services.GetRequiredService<ClientStoreOutage>().Down = true;

        using var callback = await browser.SubmitFormAsync(form);

        await ShouldBeUnavailablePageAsync(callback);
    }

    [Theory]
    [InlineData("/authorize?client_id=any-client")]
    [InlineData("/v2/logout")]
    public async Task BrowserEndpoint_PlainHttpToHttpsIssuer_400HtmlPage(string pathAndQuery)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.GetAsync(PlainHttp + pathAndQuery);

        var html = await SignInKit.ShouldBeErrorPageAsync(response, "invalid_request");
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
        html.ShouldContain("https");
    }

    [Theory]
    [InlineData("GET", "/api/v2/clients")]
    [InlineData("PATCH", "/api/v2/tenants/settings")]
    [InlineData("GET", "/api/v2/no-such-endpoint")]
    public async Task ManagementApi_PlainHttpToHttpsIssuer_400Auth0Shape(string method, string path)
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();

        using var response = await host.Client.SendAsync(TestHost.Authorized(new HttpMethod(method), PlainHttp + path, token, TestHost.Json("{}")));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var body = JsonDocument.Parse(text);
        body.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["statusCode", "error", "message", "errorCode"]);
        body.RootElement.GetProperty("statusCode").GetInt32().ShouldBe(400);
        body.RootElement.GetProperty("error").GetString().ShouldBe("Bad Request");
        body.RootElement.GetProperty("errorCode").GetString().ShouldBe("https_required");
        body.RootElement.GetProperty("message").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    // Lock's auth0.js reads {code, description, statusCode} from the endpoints it calls.
    [Fact]
    public async Task LockCredentialPost_StoreOutage_503LockShape()
    {
        await using var host = await StartWithSwitchableClientStoreAsync();
        var client = await SignInKit.RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await SignInKit.OpenLoginPageAsync(browser, SignInKit.Code(client.ClientId));
        host.Services.GetRequiredService<ClientStoreOutage>().Down = true;

        using var response = await browser.PostCredentialsAsync(config, SignInKit.Email, SignInKit.Password);

        await ShouldBeLockErrorAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
        response.Headers.RetryAfter.ShouldNotBeNull();
    }

    [Fact]
    public async Task LockEndpoint_PlainHttpToHttpsIssuer_400LockShape()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.PostAsync(PlainHttp + "/usernamepassword/login", TestHost.Json("""{"state":"x"}"""));

        await ShouldBeLockErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task LockEndpoint_QueryOver8KiB_414LockShape()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.GetAsync("/user/ssodata?x=" + new string('a', 8200));

        await ShouldBeLockErrorAsync(response, HttpStatusCode.RequestUriTooLong, "invalid_request");
    }

    private static async Task ShouldBeLockErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var body = JsonDocument.Parse(text);
        body.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["code", "description", "statusCode"]);
        body.RootElement.GetProperty("code").GetString().ShouldBe(code);
        body.RootElement.GetProperty("statusCode").GetInt32().ShouldBe((int)status);
    }

    private static async Task ShouldBeUnavailablePageAsync(HttpResponseMessage response)
    {
        await SignInKit.ShouldBeErrorPageAsync(response, "temporarily_unavailable", HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    private static Task<TestHost> StartWithSwitchableClientStoreAsync()
        => SignInKit.StartAsync(
            build: b => b.AddClientStore<SwitchableClientStore>(),
            services: s => s.AddSingleton<ClientStoreOutage>());

    private sealed class ClientStoreOutage
    {
        public volatile bool Down;
    }

    /// <summary>An in-memory client store whose reads fail as an unreachable backend once switched down.</summary>
    private sealed class SwitchableClientStore(ClientStoreOutage outage) : IClientStore
    {
        private readonly InMemoryClientStore _inner = new();

        public Task<StoreWriteResult<Client>> CreateAsync(Client client, CancellationToken cancellationToken) => _inner.CreateAsync(client, cancellationToken);

        public Task<Client?> FindByIdAsync(string clientId, CancellationToken cancellationToken)
            => outage.Down ? throw new StoreUnavailableException("client store down") : _inner.FindByIdAsync(clientId, cancellationToken);

        public Task<StorePage<Client>> ListAsync(int page, int perPage, CancellationToken cancellationToken) => _inner.ListAsync(page, perPage, cancellationToken);

        public Task<StoreWriteResult<Client>> UpdateAsync(string clientId, Func<Client, Client> update, CancellationToken cancellationToken)
            => _inner.UpdateAsync(clientId, update, cancellationToken);

        public Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken) => _inner.DeleteAsync(clientId, cancellationToken);
    }
}
