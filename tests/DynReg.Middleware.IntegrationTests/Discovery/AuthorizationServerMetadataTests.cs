using System.Net;
using System.Text.Json;
using DynReg.Middleware.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.IntegrationTests.Discovery;

/// <summary>
/// RFC 8414 authorization server metadata (the same document as OpenID discovery), RFC 9207's
/// member, and CORS for the browser clients that read the metadata, register and get tokens.
/// </summary>
public sealed class AuthorizationServerMetadataTests
{
    private static async Task<string> GetTextAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return text;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OAuthAuthorizationServer_SameDocumentAsOpenIdConfiguration_RegistrationEndpointOnlyWhileOn(bool registrationOn)
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = registrationOn);

        var oauth = await GetTextAsync(host.Client, "/.well-known/oauth-authorization-server");
        var openid = await GetTextAsync(host.Client, "/.well-known/openid-configuration");

        oauth.ShouldBe(openid);
        using var document = JsonDocument.Parse(oauth);
        var root = document.RootElement;
        root.GetProperty("issuer").GetString().ShouldBe("https://localhost/");
        root.TryGetProperty("registration_endpoint", out _).ShouldBe(registrationOn);
        root.GetProperty("authorization_response_iss_parameter_supported").GetBoolean().ShouldBeTrue();
        root.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()).ShouldBe(["S256"]);
    }

    [Theory]
    [InlineData("https://localhost/.well-known/oauth-authorization-server/tenant")]
    [InlineData("https://localhost/.well-known/oauth-authorization-server/tenant/")]
    [InlineData("https://localhost/.well-known/openid-configuration/tenant")]
    [InlineData("https://localhost/tenant/.well-known/oauth-authorization-server")]
    [InlineData("https://localhost/tenant/.well-known/openid-configuration")]
    public async Task IssuerWithPath_PathInsertedAndAppendedForms_ServeTheIssuersDocument(string url)
    {
        // RFC 8414 §3.1: metadata of https://localhost/tenant/ is at /.well-known/oauth-authorization-server/tenant.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddDynamicClientRegistration(o =>
        {
            o.Issuer = new Uri("https://localhost/tenant/");
            o.InitialTenantSettings.EnableDynamicClientRegistration = true;
        }).AddSigningKey(TestHost.SigningKey);
        await using var app = builder.Build();
        app.MapGroup("/tenant").MapDynamicRegistration();
        app.MapPathInsertedMetadata();
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var document = JsonDocument.Parse(await GetTextAsync(client, url));

        document.RootElement.GetProperty("issuer").GetString().ShouldBe("https://localhost/tenant/");
        document.RootElement.GetProperty("registration_endpoint").GetString().ShouldBe("https://localhost/tenant/oidc/register");
    }

    [Fact]
    public async Task IssuerWithoutPath_MapPathInsertedMetadata_MapsNothing()
    {
        await using var host = await TestHost.StartAsync(map: app => app.MapPathInsertedMetadata());

        using var response = await host.Client.GetAsync("/.well-known/oauth-authorization-server/tenant");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    // Browser MCP clients send MCP-Protocol-Version on every request, so even a GET is preflighted.
    [Theory]
    [InlineData("/.well-known/openid-configuration", "GET")]
    [InlineData("/.well-known/oauth-authorization-server", "GET")]
    [InlineData("/.well-known/jwks.json", "GET")]
    [InlineData("/oidc/register", "POST")]
    [InlineData("/oauth/token", "POST")]
    [InlineData("/userinfo", "GET")]
    public async Task Preflight_ProtocolEndpoints_AllowTheMcpHeadersWithoutCredentials(string path, string method)
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", "https://inspector.example.com");
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type, mcp-protocol-version");

        using var response = await host.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, path);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).Split(',').Select(h => h.Trim().ToLowerInvariant());
        allowed.ShouldBe(["authorization", "content-type", "mcp-protocol-version"], ignoreOrder: true);
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")).ShouldContain(method);
        response.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
    }

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/oauth-authorization-server")]
    [InlineData("/.well-known/jwks.json")]
    public async Task Get_WithOrigin_AnyOriginWithoutCredentials(string path)
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", "https://inspector.example.com");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");

        using var response = await host.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
        response.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
    }

    [Theory]
    [InlineData("/api/v2/clients")]
    [InlineData("/authorize")]
    [InlineData("/login")]
    public async Task Preflight_ManagementApiAndPages_NoCors(string path)
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", "https://inspector.example.com");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await host.Client.SendAsync(request);

        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse(path);
    }
}
