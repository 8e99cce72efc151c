using System.Net;
using System.Security.Cryptography;
using DynReg.Middleware.Management;
using DynReg.Middleware.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.IntegrationTests.Management;

/// <summary>
/// Who may call <c>/api/v2</c> (C1, C2): Auth0's 401 for a missing, malformed, wrongly signed,
/// wrong-issuer, wrong-audience or expired token, and 403 naming the scope an endpoint needs.
/// </summary>
public sealed class ManagementAuthenticationTests
{
    private const string SettingsPath = "/api/v2/tenants/settings";
    private const string EnableFlag = """{"flags":{"enable_dynamic_client_registration":true}}""";

    /// <summary>Every Management API endpoint with the scope it needs; ids are unknown, so 401/403 must come before 404.</summary>
    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "GET", "/api/v2/tenants/settings", ManagementApi.ReadTenantSettings },
        { "PATCH", "/api/v2/tenants/settings", ManagementApi.UpdateTenantSettings },
        { "GET", "/api/v2/connections", ManagementApi.ReadConnections },
        { "POST", "/api/v2/connections", ManagementApi.CreateConnections },
        { "GET", "/api/v2/connections/con_0000000000000000", ManagementApi.ReadConnections },
        { "PATCH", "/api/v2/connections/con_0000000000000000", ManagementApi.UpdateConnections },
        { "DELETE", "/api/v2/connections/con_0000000000000000", ManagementApi.DeleteConnections },
        { "GET", "/api/v2/clients", ManagementApi.ReadClients },
        { "GET", "/api/v2/clients/unknown", ManagementApi.ReadClients },
        { "PATCH", "/api/v2/clients/unknown", ManagementApi.UpdateClients },
        { "DELETE", "/api/v2/clients/unknown", ManagementApi.DeleteClients },
        { "POST", "/api/v2/clients/unknown/rotate-secret", ManagementApi.UpdateClientKeys },
    };

    private static HttpRequestMessage Request(string method, string path, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PATCH" or "POST")
        {
            request.Content = TestHost.Json("{}");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return request;
    }

    private static async Task ShouldBeInvalidTokenAsync(HttpResponseMessage response, string message = "Invalid token")
    {
        await response.ShouldBeAuth0ErrorAsync(HttpStatusCode.Unauthorized, message, "invalid_token");
        var challenge = response.Headers.WwwAuthenticate.Single();
        challenge.Scheme.ShouldBe("Bearer");
        challenge.Parameter.ShouldNotBeNull().ShouldContain("error=\"invalid_token\"");
    }

    private static async Task<bool> FlagAsync(TestHost host) => (await host.TenantSettings.GetAsync(CancellationToken.None)).Flags.EnableDynamicClientRegistration;

    // C1
    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_NoToken_Returns401MissingAuthenticationWithBareBearerChallenge(string method, string path, string scope)
    {
        _ = scope;
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.SendAsync(Request(method, path, token: null));

        await response.ShouldBeAuth0ErrorAsync(HttpStatusCode.Unauthorized, "Missing authentication", "invalid_token");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
    }

    // C2, for every endpoint: all management scopes but the one it needs.
    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_TokenWithoutItsScope_Returns403NamingTheScope(string method, string path, string scope)
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync([.. ManagementApi.AllScopes.Where(s => s != scope)]);

        using var response = await host.Client.SendAsync(Request(method, path, token));

        await response.ShouldBeAuth0ErrorAsync(HttpStatusCode.Forbidden, $"Insufficient scope, expected any of: {scope}", "insufficient_scope");
    }

    // C1: the seed's PATCH without a token changes nothing.
    [Fact]
    public async Task PatchSettings_NoToken_Returns401AndFlagStaysOff()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);

        using var response = await host.Client.PatchAsync(SettingsPath, TestHost.Json(EnableFlag));

        await response.ShouldBeAuth0ErrorAsync(HttpStatusCode.Unauthorized, "Missing authentication", "invalid_token");
        (await FlagAsync(host)).ShouldBeFalse();
    }

    // C1
    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.")]
    public async Task PatchSettings_MalformedToken_Returns401InvalidToken(string token)
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);

        using var response = await host.SendAsync(HttpMethod.Patch, SettingsPath, token, EnableFlag);

        await ShouldBeInvalidTokenAsync(response);
        (await FlagAsync(host)).ShouldBeFalse();
    }

    // RFC 6750 §2.3 (query parameter) is not offered: a token there counts as no token.
    [Fact]
    public async Task GetSettings_TokenInQuery_Returns401MissingAuthentication()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();

        using var response = await host.Client.GetAsync($"{SettingsPath}?access_token={token}");

        await response.ShouldBeAuth0ErrorAsync(HttpStatusCode.Unauthorized, "Missing authentication", "invalid_token");
    }

    // Control for the minted-token tests below: the minting itself yields a token the API accepts.
    [Fact]
    public async Task PatchSettings_MintedWithServerKey_Returns200()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);
        var key = new RsaSecurityKey(TestHost.SigningKey) { KeyId = await MintedTokens.ServerKidAsync(host) };

        using var response = await host.SendAsync(HttpMethod.Patch, SettingsPath, MintedTokens.Mint(key), EnableFlag);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await FlagAsync(host)).ShouldBeTrue();
    }

    // A key the server never had, once under the server's own kid and once under another.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PatchSettings_TokenSignedWithAnotherKey_Returns401InvalidToken(bool sameKid)
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = sameKid ? await MintedTokens.ServerKidAsync(host) : "attacker-key" };

        using var response = await host.SendAsync(HttpMethod.Patch, SettingsPath, MintedTokens.Mint(key), EnableFlag);

        await ShouldBeInvalidTokenAsync(response);
        (await FlagAsync(host)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("https://evil.example.com/", null)]
    [InlineData("https://localhost", null)] // the issuer without its trailing slash
    [InlineData(null, "https://localhost/api/v2")] // identifiers compare exactly, as at the token endpoint
    [InlineData(null, "https://appointments.example.com/")]
    [InlineData(null, "https://localhost/")]
    public async Task PatchSettings_WrongIssuerOrAudience_Returns401InvalidToken(string? issuer, string? audience)
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);
        var key = new RsaSecurityKey(TestHost.SigningKey) { KeyId = await MintedTokens.ServerKidAsync(host) };

        using var response = await host.SendAsync(HttpMethod.Patch, SettingsPath, MintedTokens.Mint(key, issuer: issuer, audience: audience), EnableFlag);

        await ShouldBeInvalidTokenAsync(response);
        (await FlagAsync(host)).ShouldBeFalse();
    }

    // A host API whose identifier differs from the Management API's only by the trailing slash: its
    // tokens, issued by our own token endpoint, must not open the Management API.
    [Fact]
    public async Task PatchSettings_TokenForHostApiNamedLikeManagementApiWithoutSlash_Returns401InvalidToken()
    {
        const string LookAlike = "https://localhost/api/v2";
        await using var host = await TestHost.StartAsync(
            configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false,
            build: b => b
                .AddApi(LookAlike, ManagementApi.UpdateTenantSettings)
                .AddMachineToMachineClient("look-alike", "look-alike-secret", LookAlike, ManagementApi.UpdateTenantSettings));
        using var issued = await host.Client.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "look-alike",
            ["client_secret"] = "look-alike-secret",
            ["audience"] = LookAlike,
        }));
        issued.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = System.Text.Json.JsonDocument.Parse(await issued.Content.ReadAsStringAsync());

        using var response = await host.SendAsync(HttpMethod.Patch, SettingsPath, body.RootElement.GetProperty("access_token").GetString()!, EnableFlag);

        await ShouldBeInvalidTokenAsync(response);
        (await FlagAsync(host)).ShouldBeFalse();
    }

    [Fact]
    public async Task PatchSettings_ExpiredToken_Returns401ExpiredToken()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);
        var key = new RsaSecurityKey(TestHost.SigningKey) { KeyId = await MintedTokens.ServerKidAsync(host) };

        using var response = await host.SendAsync(HttpMethod.Patch, SettingsPath,
            MintedTokens.Mint(key, expires: DateTimeOffset.UtcNow.AddMinutes(-10)), EnableFlag);

        await ShouldBeInvalidTokenAsync(response, "Expired token");
        (await FlagAsync(host)).ShouldBeFalse();
    }

    [Fact]
    public async Task PatchSettings_TokenWithoutExpiry_Returns401InvalidToken()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);
        var key = new RsaSecurityKey(TestHost.SigningKey) { KeyId = await MintedTokens.ServerKidAsync(host) };

        using var response = await host.SendAsync(HttpMethod.Patch, SettingsPath, MintedTokens.Mint(key, withExpiry: false), EnableFlag);

        await ShouldBeInvalidTokenAsync(response);
        (await FlagAsync(host)).ShouldBeFalse();
    }

    [Fact]
    public async Task PatchSettings_AlgNoneToken_Returns401InvalidToken()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);

        using var response = await host.SendAsync(HttpMethod.Patch, SettingsPath, MintedTokens.Unsigned(await MintedTokens.ServerKidAsync(host)), EnableFlag);

        await ShouldBeInvalidTokenAsync(response);
        (await FlagAsync(host)).ShouldBeFalse();
    }

    // Algorithm confusion: HS256 keyed with the public RSA modulus, which anyone can read from the JWKS.
    [Fact]
    public async Task PatchSettings_Hs256TokenKeyedWithPublicKey_Returns401InvalidToken()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);
        var modulus = TestHost.SigningKey.ExportParameters(false).Modulus!;
        var key = new SymmetricSecurityKey(modulus) { KeyId = await MintedTokens.ServerKidAsync(host) };

        using var response = await host.SendAsync(HttpMethod.Patch, SettingsPath, MintedTokens.Mint(key, SecurityAlgorithms.HmacSha256), EnableFlag);

        await ShouldBeInvalidTokenAsync(response);
        (await FlagAsync(host)).ShouldBeFalse();
    }

    // C2, exactly as SPEC §5 writes it.
    [Fact]
    public async Task PatchSettings_TokenWithOnlyReadScope_Returns403InsufficientScopeAndChangesNothing()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);
        var token = await host.GetManagementTokenAsync(ManagementApi.ReadTenantSettings);

        using var response = await host.SendAsync(HttpMethod.Patch, SettingsPath, token, EnableFlag);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            """{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: update:tenant_settings","errorCode":"insufficient_scope"}""");
        var challenge = response.Headers.WwwAuthenticate.Single();
        challenge.Scheme.ShouldBe("Bearer");
        challenge.Parameter.ShouldNotBeNull().ShouldContain("error=\"insufficient_scope\""); // RFC 6750 §3.1
        (await FlagAsync(host)).ShouldBeFalse();
    }

    // The scope claim is a space-separated list matched whole: a prefix or a differently cased scope is not the scope.
    [Theory]
    [InlineData("update:tenant_settings_extra")]
    [InlineData("UPDATE:TENANT_SETTINGS")]
    [InlineData("update:tenant")]
    public async Task PatchSettings_ScopeThatOnlyLooksRight_Returns403(string scope)
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);
        var key = new RsaSecurityKey(TestHost.SigningKey) { KeyId = await MintedTokens.ServerKidAsync(host) };

        using var response = await host.SendAsync(HttpMethod.Patch, SettingsPath, MintedTokens.Mint(key, scope: scope), EnableFlag);

        await response.ShouldBeAuth0ErrorAsync(HttpStatusCode.Forbidden, "Insufficient scope, expected any of: update:tenant_settings", "insufficient_scope");
        (await FlagAsync(host)).ShouldBeFalse();
    }

    // Even a host endpoint that names the package's scheme (or gets it as a default) never signs a
    // caller in with a Management API token: the scheme accepts tokens on Management endpoints only.
    [Fact]
    public async Task HostEndpoint_ManagementToken_DoesNotAuthenticate()
    {
        await using var host = await TestHost.StartAsync(
            services: s => s.AddAuthorization(),
            map: app => app.MapGet("/host-protected", (HttpContext context) => "hello " + context.User.Identity?.Name)
                .RequireAuthorization(p => p.AddAuthenticationSchemes("DynReg.Management").RequireAuthenticatedUser()));
        var token = await host.GetManagementTokenAsync();

        using var withToken = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/host-protected", token));
        using var withoutToken = await host.Client.GetAsync("/host-protected");

        withToken.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await withToken.Content.ReadAsStringAsync()).ShouldNotContain("hello");
        withoutToken.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    // Nor does it leak into an anonymous host endpoint's user.
    [Fact]
    public async Task HostAnonymousEndpoint_ManagementToken_LeavesUserUnauthenticated()
    {
        await using var host = await TestHost.StartAsync(
            services: s => s.AddAuthorization(),
            map: app => app.MapGet("/host-open", (HttpContext context) => context.User.Identity?.IsAuthenticated == true ? "signed-in" : "anonymous"));
        var token = await host.GetManagementTokenAsync();

        using var response = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/host-open", token));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("anonymous");
    }
}
