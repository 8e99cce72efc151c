using System.Net;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Tokens;

/// <summary>
/// <c>POST /oauth/token</c> as RFC 6749 §3.2, §2.3, §5.1 and §5.2 say (CHECKLIST rows T1-T6, T9, T17),
/// with the management client of every test host.
/// </summary>
public sealed class TokenEndpointTests
{
    private const string ManagementClientId = TestHost.ManagementClientId;
    private const string ManagementSecret = TestHost.ManagementClientSecret;

    // T1
    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Token_NotPost_Returns405JsonAndAllowPost(string method)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), TokenEndpoint.Path));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.MethodNotAllowed, "invalid_request");
        response.Content.Headers.Allow.ShouldBe(["POST"]);
    }

    // T1: a GET with credentials in the query must not issue a token either.
    [Fact]
    public async Task Token_GetWithQueryParameters_IssuesNoToken()
    {
        await using var host = await TestHost.StartAsync();
        var query = string.Join('&', TokenEndpoint.ManagementClientPost().Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));

        using var response = await host.Client.GetAsync($"{TokenEndpoint.Path}?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("access_token");
    }

    // T1: form-encoded, the RFC's encoding.
    [Fact]
    public async Task Token_FormBody_IssuesToken()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormAsync(TokenEndpoint.ManagementClientPost());

        (await response.ShouldBeTokenAsync()).ShouldNotBeNullOrEmpty();
    }

    // T1: Auth0 also accepts a JSON object of strings.
    [Fact]
    public async Task Token_JsonBody_IssuesToken()
    {
        await using var host = await TestHost.StartAsync();
        var json = $$"""
            {"grant_type":"client_credentials","client_id":"{{ManagementClientId}}","client_secret":"{{ManagementSecret}}","audience":"{{TestHost.ManagementAudience}}"}
            """;

        using var response = await host.Client.PostAsync(TokenEndpoint.Path, TestHost.Json(json));

        (await response.ShouldBeTokenAsync()).ShouldNotBeNullOrEmpty();
    }

    // T1
    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Token_OtherContentType_Returns400InvalidRequest(string contentType)
    {
        await using var host = await TestHost.StartAsync();
        var body = string.Join('&', TokenEndpoint.ManagementClientPost().Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await host.Client.PostAsync(TokenEndpoint.Path, content);

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_NoContentType_Returns400InvalidRequest()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.PostAsync(TokenEndpoint.Path, new ByteArrayContent("grant_type=client_credentials"u8.ToArray()));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("""["client_credentials"]""")]
    [InlineData("""{"grant_type":"client_credentials","audience":1}""")]
    [InlineData("""{"grant_type":"client_credentials",""")]
    [InlineData("""{"grant_type":"client_credentials","grant_type":"client_credentials"}""")]
    public async Task Token_JsonBodyNotAnObjectOfUniqueStrings_Returns400InvalidRequest(string json)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.PostAsync(TokenEndpoint.Path, TestHost.Json(json));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    // T2, T9
    [Fact]
    public async Task Token_Success_NoStoreBearerExpiresInAndNoRefreshToken()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormAsync(TokenEndpoint.ManagementClientPost());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        response.Headers.CacheControl?.NoStore.ShouldBe(true);
        response.Headers.Pragma.ToString().ShouldBe("no-cache");
        using var body = await response.ReadJsonAsync();
        var root = body.RootElement;
        root.GetProperty("access_token").ValueKind.ShouldBe(JsonValueKind.String);
        root.GetProperty("token_type").GetString().ShouldBe("Bearer");
        root.GetProperty("expires_in").GetInt64().ShouldBe(86400);
        root.TryGetProperty("refresh_token", out _).ShouldBeFalse();
        root.TryGetProperty("id_token", out _).ShouldBeFalse();
    }

    // T3
    [Fact]
    public async Task Token_WrongSecretViaBasic_Returns401WithBasicChallenge()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormWithBasicAsync(ManagementClientId, "wrong-secret",
            ("grant_type", "client_credentials"), ("audience", TestHost.ManagementAudience));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        response.Headers.WwwAuthenticate.Single().Scheme.ShouldBe("Basic");
    }

    // T3
    [Fact]
    public async Task Token_WrongSecretViaPost_Returns401WithoutBasicChallenge()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormAsync(
            ("grant_type", "client_credentials"), ("client_id", ManagementClientId), ("client_secret", "wrong-secret"), ("audience", TestHost.ManagementAudience));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        response.Headers.WwwAuthenticate.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Basic not-base64!")]
    [InlineData("Basic bm8tY29sb24=")] // "no-colon"
    [InlineData("Bearer abc")]
    public async Task Token_MalformedAuthorizationHeader_Returns401WithBasicChallenge(string header)
    {
        await using var host = await TestHost.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint.Path)
        {
            Content = TokenEndpoint.Form(("grant_type", "client_credentials"), ("audience", TestHost.ManagementAudience)),
        };
        request.Headers.TryAddWithoutValidation("Authorization", header).ShouldBeTrue();

        using var response = await host.Client.SendAsync(request);

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        response.Headers.WwwAuthenticate.Single().Scheme.ShouldBe("Basic");
    }

    [Fact]
    public async Task Token_UnknownClient_Returns401InvalidClient()
    {
        await using var host = await TestHost.StartAsync();

        using var post = await host.PostFormAsync(
            ("grant_type", "client_credentials"), ("client_id", "nobody"), ("client_secret", ManagementSecret), ("audience", TestHost.ManagementAudience));
        using var basic = await host.PostFormWithBasicAsync("nobody", ManagementSecret,
            ("grant_type", "client_credentials"), ("audience", TestHost.ManagementAudience));

        await post.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        await basic.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        basic.Headers.WwwAuthenticate.Single().Scheme.ShouldBe("Basic");
    }

    [Fact]
    public async Task Token_NoClientAuthentication_Returns401InvalidClient()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormAsync(("grant_type", "client_credentials"), ("audience", TestHost.ManagementAudience));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
    }

    // A confidential client that names itself without its secret does not authenticate.
    [Fact]
    public async Task Token_ConfidentialClientWithoutSecret_Returns401InvalidClient()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormAsync(
            ("grant_type", "client_credentials"), ("client_id", ManagementClientId), ("audience", TestHost.ManagementAudience));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
    }

    // T4
    [Fact]
    public async Task Token_BasicAndSecretInBody_Returns400InvalidRequest()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormWithBasicAsync(ManagementClientId, ManagementSecret,
            ("grant_type", "client_credentials"), ("client_secret", ManagementSecret), ("audience", TestHost.ManagementAudience));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_BasicAndOtherClientIdInBody_Returns400InvalidRequest()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormWithBasicAsync(ManagementClientId, ManagementSecret,
            ("grant_type", "client_credentials"), ("client_id", "someone-else"), ("audience", TestHost.ManagementAudience));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    // T5: the management client was declared without a method; both secret methods work.
    [Fact]
    public async Task Token_ManagementClientViaBasic_IssuesToken()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormWithBasicAsync(ManagementClientId, ManagementSecret,
            ("grant_type", "client_credentials"), ("audience", TestHost.ManagementAudience));

        (await response.ShouldBeTokenAsync()).ShouldNotBeNullOrEmpty();
    }

    // T5, and Basic with the same client_id repeated in the body (some libraries send both).
    [Fact]
    public async Task Token_BasicWithSameClientIdInBody_IssuesToken()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormWithBasicAsync(ManagementClientId, ManagementSecret,
            ("grant_type", "client_credentials"), ("client_id", ManagementClientId), ("audience", TestHost.ManagementAudience));

        (await response.ShouldBeTokenAsync()).ShouldNotBeNullOrEmpty();
    }

    // RFC 6749 §2.3.1: Basic credentials are form-encoded before base64, so ':' '+' '%' and non-ASCII survive.
    [Fact]
    public async Task Token_SecretWithReservedCharactersViaBasicAndPost_IssuesToken()
    {
        const string Secret = "p@ss:w+rd %/é-long-enough-secret";
        await using var host = await TestHost.StartAsync(build: b => b
            .AddMachineToMachineClient("odd:client", Secret, TestHost.ManagementAudience, "read:clients"));

        using var basic = await host.PostFormWithBasicAsync("odd:client", Secret,
            ("grant_type", "client_credentials"), ("audience", TestHost.ManagementAudience));
        using var post = await host.PostFormAsync(
            ("grant_type", "client_credentials"), ("client_id", "odd:client"), ("client_secret", Secret), ("audience", TestHost.ManagementAudience));

        (await basic.ShouldBeTokenAsync()).ShouldNotBeNullOrEmpty();
        (await post.ShouldBeTokenAsync()).ShouldNotBeNullOrEmpty();
    }

    // T6
    [Theory]
    [InlineData("password")]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code")]
    [InlineData("CLIENT_CREDENTIALS")]
    public async Task Token_UnsupportedGrantType_Returns400UnsupportedGrantType(string grantType)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormAsync(
            ("grant_type", grantType), ("client_id", ManagementClientId), ("client_secret", ManagementSecret), ("audience", TestHost.ManagementAudience));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Token_MissingGrantType_Returns400InvalidRequest(string? grantType)
    {
        await using var host = await TestHost.StartAsync();
        var parameters = TokenEndpoint.ManagementClientPost().Where(p => p.Item1 != "grant_type").ToList();
        if (grantType is not null)
        {
            parameters.Add(("grant_type", grantType));
        }

        using var response = await host.PostFormAsync([.. parameters]);

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    // RFC 6749 §3.1: parameters must not be included more than once.
    [Theory]
    [InlineData("grant_type", "client_credentials")]
    [InlineData("client_id", TestHost.ManagementClientId)]
    [InlineData("audience", "https://localhost/api/v2/")]
    [InlineData("scope", "read:clients")]
    public async Task Token_RepeatedParameter_Returns400InvalidRequest(string name, string value)
    {
        await using var host = await TestHost.StartAsync();
        var parameters = TokenEndpoint.ManagementClientPost(("scope", "read:clients")).ToList();
        parameters.Add((name, value));

        using var response = await host.PostFormAsync([.. parameters]);

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_BodyOverLimit_Returns413()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormAsync([.. TokenEndpoint.ManagementClientPost(), ("padding", new string('a', 17 * 1024))]);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        using var body = await response.ReadJsonAsync();
        body.RootElement.GetProperty("error").GetString().ShouldBe("invalid_request");
    }

    // RFC 6749 §3.2: unknown parameters are ignored.
    [Fact]
    public async Task Token_UnknownParameter_IsIgnored()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormAsync([.. TokenEndpoint.ManagementClientPost(), ("foo", "bar")]);

        (await response.ShouldBeTokenAsync()).ShouldNotBeNullOrEmpty();
    }
}
