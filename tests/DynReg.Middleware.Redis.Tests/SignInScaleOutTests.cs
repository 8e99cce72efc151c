using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Users;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>
/// The authorization code flow across two instances that share only Redis (two hosts in one
/// process, one issuer): register on A, authorize and sign in on B, exchange the code on A, call
/// an API on B with A's token, and try the code again on B.
/// </summary>
public sealed class SignInScaleOutTests
{
    private const string Connection = "Username-Password-Authentication";
    private const string Email = "jane@example.com";
    private const string Password = "correct horse battery staple";
    private const string Audience = "appointments:api";
    private const string RedirectUri = "https://app.example.com/callback";

    [Fact]
    public async Task CodeFlow_SpreadOverTwoInstances_WorksOnceAndTheCodeIsRefusedOnTheOther()
    {
        var prefix = RedisTestServer.NewKeyPrefix();
        await using var a = await StartAsync(prefix);
        await using var b = await StartAsync(prefix);

        // Register on A.
        using var registered = await a.RegisterAsync($$"""{"client_name":"Scale-out app","redirect_uris":["{{RedirectUri}}"],"token_endpoint_auth_method":"client_secret_post"}""");
        registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var client = JsonDocument.Parse(await registered.Content.ReadAsStringAsync());
        var clientId = client.RootElement.GetProperty("client_id").GetString()!;
        var clientSecret = client.RootElement.GetProperty("client_secret").GetString()!;

        // Authorize, sign in and consent on B.
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        using var browser = b.NewBrowser();
        using var page = await browser.GetAsync(
            $"/authorize?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}&audience={Uri.EscapeDataString(Audience)}"
            + $"&scope={Uri.EscapeDataString("openid read:appointments")}&state=xyz&code_challenge={challenge}&code_challenge_method=S256");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var login = await browser.PostCredentialsAsync(Browser.LoginConfig(await page.Content.ReadAsStringAsync()), Email, Password);
        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var callback = await browser.SubmitFormAsync(await login.Content.ReadAsStringAsync());
        callback.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var consent = await browser.SubmitFormAsync(await callback.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["decision"] = "accept" });
        consent.StatusCode.ShouldBe(HttpStatusCode.Found);
        var response = Browser.ResponseParameters(consent.Headers.Location!, fragment: false);
        response["state"].ShouldBe("xyz");
        var code = response["code"];

        // Exchange on A.
        var exchange = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["code_verifier"] = verifier,
        };
        using var tokens = await a.Client.PostAsync("/oauth/token", new FormUrlEncodedContent(exchange));
        var tokensBody = await tokens.Content.ReadAsStringAsync();
        tokens.StatusCode.ShouldBe(HttpStatusCode.OK, tokensBody);
        using var tokensJson = JsonDocument.Parse(tokensBody);
        var accessToken = tokensJson.RootElement.GetProperty("access_token").GetString()!;

        // A's access token is accepted by a JwtBearer API on B.
        using var call = new HttpRequestMessage(HttpMethod.Get, "/appointments");
        call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var api = await b.Client.SendAsync(call);
        api.StatusCode.ShouldBe(HttpStatusCode.OK, await api.Content.ReadAsStringAsync());

        // The code, used on A, is refused on B.
        using var again = await b.Client.PostAsync("/oauth/token", new FormUrlEncodedContent(exchange));
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var againJson = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        againJson.RootElement.GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    private static Task<TestHost> StartAsync(string prefix) => TestHost.StartAsync(
        build: dynReg => dynReg
            .AddRedisStores(o =>
            {
                o.ConnectionMultiplexerFactory = () => Task.FromResult(RedisTestServer.Multiplexer);
                o.KeyPrefix = prefix;
            })
            .AddConnection(Connection, isDomainConnection: true)
            .AddApi(Audience, "read:appointments")
            .AddInMemoryUsers(new InMemoryUser(Connection, Email, Password, "Jane Doe")),
        services: services =>
        {
            services.AddAuthentication().AddJwtBearer("appointments", o =>
            {
                o.MetadataAddress = TestHost.Issuer.AbsoluteUri + ".well-known/openid-configuration";
                o.Audience = Audience;
                o.MapInboundClaims = false;
            });
            services.AddOptions<JwtBearerOptions>("appointments").Configure<IServer>((o, server) => o.BackchannelHttpHandler = ((TestServer)server).CreateHandler());
            services.AddAuthorization();
        },
        map: app => app.MapGet("/appointments", (HttpContext context) => Results.Ok(new { scope = context.User.FindFirst("scope")?.Value }))
            .RequireAuthorization(p => p.AddAuthenticationSchemes("appointments").RequireAuthenticatedUser()));
}
