using System.Net;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Abuse;

/// <summary>
/// Every body and every query is bounded. Bodies: registration and token 16 KiB, Management API
/// 64 KiB, the login posts 16 KiB (413 or the surface's 400). Queries: 8 KiB on every endpoint,
/// 414 in the surface's own shape.
/// </summary>
public sealed class RequestSizeLimitTests
{
    private static readonly string LongQuery = "?x=" + new string('a', 8200);

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/jwks.json")]
    [InlineData("/userinfo")]
    public async Task ProtocolGet_QueryOver8KiB_414RfcJson(string path)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.GetAsync(path + LongQuery);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestUriTooLong);
        await ShouldBeRfcErrorAsync(response, "invalid_request");
    }

    [Theory]
    [InlineData("/oidc/register")]
    [InlineData("/oauth/token")]
    public async Task ProtocolPost_QueryOver8KiB_414RfcJsonAndNothingStored(string path)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.PostAsync(path + LongQuery, TestHost.Json("""{"redirect_uris":["https://app.example.com/cb"]}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestUriTooLong);
        await ShouldBeRfcErrorAsync(response, "invalid_request");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData("/authorize")]
    [InlineData("/v2/logout")]
    public async Task BrowserEndpoint_QueryOver8KiB_414HtmlPage(string path)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.GetAsync(path + LongQuery);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestUriTooLong);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        (await response.Content.ReadAsStringAsync()).ShouldContain("invalid_request");
    }

    [Fact]
    public async Task ManagementApi_QueryOver8KiB_414Auth0Shape()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();

        using var response = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/api/v2/clients" + LongQuery, token));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestUriTooLong);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("statusCode").GetInt32().ShouldBe(414);
        body.RootElement.GetProperty("errorCode").GetString().ShouldBe("invalid_query_string");
        body.RootElement.TryGetProperty("message", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Query_AtTheLimit_Served()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxQueryStringLength = 1024);

        using var response = await host.Client.GetAsync("/.well-known/openid-configuration?x=" + new string('a', 1024 - 3));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/usernamepassword/login")]
    [InlineData("/login/callback")]
    [InlineData("/authorize/consent")]
    [InlineData("/authorize")]
    public async Task FormPost_UndeclaredLengthOver16KiB_RefusedNever500(string path)
    {
        await using var host = await TestHost.StartAsync();
        var form = "state=x&big=" + new string('a', 20_000);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(form)));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");

        using var response = await host.Client.PostAsync(path, content);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/usernamepassword/login")]
    [InlineData("/login/callback")]
    [InlineData("/authorize/consent")]
    [InlineData("/authorize")]
    public async Task FormPost_KeyLongerThanTheFormReaderAllows_400Not500(string path)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.PostAsync(path, new StringContent(new string('k', 3000) + "=v", Encoding.UTF8, "application/x-www-form-urlencoded"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/oidc/register", 16 * 1024)]
    [InlineData("/oauth/token", 16 * 1024)]
    public async Task ProtocolBody_OverItsLimit_413(string path, int limit)
    {
        await using var host = await TestHost.StartAsync();
        var json = "{\"redirect_uris\":[\"https://app.example.com/cb\"],\"pad\":\"" + new string('a', limit) + "\"}";

        using var response = await host.Client.PostAsync(path, TestHost.Json(json));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task ManagementBody_Over64KiB_413Auth0Shape()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();
        var json = "{\"name\":\"" + new string('a', 64 * 1024) + "\"}";

        using var response = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, $"/api/v2/clients/{TestHost.ManagementClientId}", token, TestHost.Json(json)));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("statusCode").GetInt32().ShouldBe(413);
    }

    private static async Task ShouldBeRfcErrorAsync(HttpResponseMessage response, string error)
    {
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("error").GetString().ShouldBe(error);
        body.RootElement.GetProperty("error_description").GetString()!.ShouldContain("8192");
    }
}
