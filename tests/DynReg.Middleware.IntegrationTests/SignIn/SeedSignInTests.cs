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
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>The seed's second half, end to end: register, authorize, sign in, consent, fragment, call an API.</summary>
public sealed class SeedSignInTests
{
    private const string Connection = "Username-Password-Authentication";
    private const string Email = "user@example.com";
    private const string Password = "correct horse battery staple";
    private const string RedirectUri = "https://application.example.com/callback";

    [Fact]
    public async Task Implicit_SeedExample_TokensInFragmentAndApiAcceptsAccessToken()
    {
        await using var host = await StartHostAsync();
        var clientId = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        var authorize = $"/authorize?client_id={clientId}&response_type={Uri.EscapeDataString("id_token token")}&redirect_uri={Uri.EscapeDataString(RedirectUri)}"
            + $"&audience={Uri.EscapeDataString("appointments:api")}&scope={Uri.EscapeDataString("openid profile email read:appointments")}&nonce=n-0S6_WzA2Mj&state=af0ifjsldkj";
        using var page = await browser.GetAsync(authorize);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        var config = Browser.LoginConfig(await page.Content.ReadAsStringAsync());
        config.GetProperty("isThirdPartyClient").GetBoolean().ShouldBeTrue();
        config.GetProperty("internalOptions").GetProperty("state").GetString().ShouldNotBe("af0ifjsldkj");

        using var login = await browser.PostCredentialsAsync(config, Email, Password);
        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        login.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        using var callback = await browser.SubmitFormAsync(await login.Content.ReadAsStringAsync());

        // C7: a third-party client gets the consent page first.
        callback.StatusCode.ShouldBe(HttpStatusCode.OK);
        var consentPage = await callback.Content.ReadAsStringAsync();
        consentPage.ShouldContain("read:appointments");
        using var consent = await browser.SubmitFormAsync(consentPage, new Dictionary<string, string> { ["decision"] = "accept" });

        consent.StatusCode.ShouldBe(HttpStatusCode.Found);
        var location = consent.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).ShouldBe(RedirectUri);
        location.Query.ShouldBeEmpty();
        var fragment = Browser.ResponseParameters(location, fragment: true);
        fragment["state"].ShouldBe("af0ifjsldkj");
        fragment["token_type"].ShouldBe("Bearer");
        fragment.ShouldNotContainKey("refresh_token");
        fragment.ShouldNotContainKey("code");

        // The ID token: signature against the JWKS, nonce, at_hash.
        var keys = new JsonWebKeySet(await host.Client.GetStringAsync("/.well-known/jwks.json"));
        var idToken = await new JsonWebTokenHandler().ValidateTokenAsync(fragment["id_token"], new TokenValidationParameters
        {
            ValidIssuer = TestHost.Issuer.AbsoluteUri,
            ValidAudience = clientId,
            IssuerSigningKeys = keys.GetSigningKeys(),
        });
        idToken.IsValid.ShouldBeTrue(idToken.Exception?.Message);
        idToken.Claims["nonce"].ShouldBe("n-0S6_WzA2Mj");
        idToken.Claims["email"].ShouldBe(Email);
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(fragment["access_token"]));
        idToken.Claims["at_hash"].ShouldBe(Base64UrlEncoder.Encode(hash, 0, 16));

        // The host's API, protected by JwtBearer against the package's own discovery document.
        using var call = new HttpRequestMessage(HttpMethod.Get, "/appointments");
        call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fragment["access_token"]);
        using var api = await host.Client.SendAsync(call);
        api.StatusCode.ShouldBe(HttpStatusCode.OK, await api.Content.ReadAsStringAsync());
        (await api.Content.ReadAsStringAsync()).ShouldContain("read:appointments");

        // The same user again: no login, no consent.
        using var again = await browser.GetAsync(authorize.Replace("af0ifjsldkj", "second"));
        again.StatusCode.ShouldBe(HttpStatusCode.Found);
        Browser.ResponseParameters(again.Headers.Location!, fragment: true)["state"].ShouldBe("second");
    }

    private static async Task<TestHost> StartHostAsync() => await TestHost.StartAsync(
        build: b => b.AddConnection(Connection, isDomainConnection: true)
            .AddApi("appointments:api", "read:appointments")
            .AddInMemoryUsers(new InMemoryUser(Connection, Email, Password, "Jane Doe")),
        services: s =>
        {
            s.AddAuthentication().AddJwtBearer("appointments", o =>
            {
                o.MetadataAddress = TestHost.Issuer.AbsoluteUri + ".well-known/openid-configuration";
                o.Audience = "appointments:api";
                o.MapInboundClaims = false;
            });
            s.AddOptions<JwtBearerOptions>("appointments").Configure<IServer>((o, server) => o.BackchannelHttpHandler = ((TestServer)server).CreateHandler());
            s.AddAuthorization();
        },
        map: app => app.MapGet("/appointments", (HttpContext context) => Results.Ok(new { scope = context.User.FindFirst("scope")?.Value }))
            .RequireAuthorization(p => p.AddAuthenticationSchemes("appointments").RequireAuthenticatedUser()));

    private static async Task<string> RegisterAsync(TestHost host)
    {
        using var response = await host.RegisterAsync($$"""{"client_name":"My Dynamic Client","redirect_uris":["{{RedirectUri}}"]}""");
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("client_id").GetString()!;
    }
}
