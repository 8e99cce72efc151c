using System.Net;
using System.Text.Json;
using DynReg.Middleware.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.IntegrationTests.Discovery;

/// <summary>CHECKLIST rows D1-D11: <c>GET /.well-known/openid-configuration</c>, read as raw JSON.</summary>
public sealed class DiscoveryTests
{
    private const string DiscoveryPath = "/.well-known/openid-configuration";

    private static async Task<JsonDocument> GetDiscoveryAsync(TestHost host, string path = DiscoveryPath)
    {
        using var response = await host.Client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string[] Strings(JsonElement document, string member)
        => [.. document.GetProperty(member).EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task Discovery_Get_Returns200Json()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.GetAsync(DiscoveryPath);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.ValueKind.ShouldBe(JsonValueKind.Object);
    }

    [Fact]
    public async Task Discovery_Issuer_IsConfiguredIssuerByteForByte()
    {
        await using var host = await TestHost.StartAsync();

        using var document = await GetDiscoveryAsync(host);

        document.RootElement.GetProperty("issuer").GetString().ShouldBe("https://localhost/");
    }

    [Fact]
    public async Task Discovery_IssuerWithPath_IsConfiguredIssuerByteForByteAndEndpointsLiveUnderIt()
    {
        // OpenID Connect Discovery §4: the document of issuer X is at X + ".well-known/openid-configuration",
        // so the host maps the endpoints under the issuer's path. (TestHost always maps them at the root.)
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
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("https://localhost/tenant/.well-known/openid-configuration");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        root.GetProperty("issuer").GetString().ShouldBe("https://localhost/tenant/");
        root.GetProperty("jwks_uri").GetString().ShouldBe("https://localhost/tenant/.well-known/jwks.json");
        root.GetProperty("registration_endpoint").GetString().ShouldBe("https://localhost/tenant/oidc/register");
        using var jwks = await client.GetAsync(root.GetProperty("jwks_uri").GetString());
        jwks.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Discovery_RequiredMembers_Present()
    {
        await using var host = await TestHost.StartAsync();

        using var document = await GetDiscoveryAsync(host);

        var root = document.RootElement;
        root.GetProperty("issuer").ValueKind.ShouldBe(JsonValueKind.String);
        root.GetProperty("jwks_uri").ValueKind.ShouldBe(JsonValueKind.String);
        Strings(root, "response_types_supported").ShouldNotBeEmpty();
        Strings(root, "subject_types_supported").ShouldContain("public");
        Strings(root, "id_token_signing_alg_values_supported").ShouldContain("RS256");
    }

    [Fact]
    public async Task Discovery_EndpointAndUriMembers_AreHttpsUnderTheIssuer()
    {
        await using var host = await TestHost.StartAsync();

        using var document = await GetDiscoveryAsync(host);

        var urls = document.RootElement.EnumerateObject()
            .Where(p => p.Name.EndsWith("_endpoint", StringComparison.Ordinal) || p.Name.EndsWith("_uri", StringComparison.Ordinal))
            .ToDictionary(p => p.Name, p => p.Value.GetString()!);
        urls.Keys.ShouldContain("jwks_uri");
        urls.Keys.ShouldContain("registration_endpoint");
        foreach (var (name, url) in urls)
        {
            url.ShouldStartWith("https://", customMessage: name);
            url.ShouldStartWith(TestHost.Issuer.AbsoluteUri, customMessage: name);
        }
    }

    [Fact]
    public async Task Discovery_FlagOn_ListsRegistrationEndpoint()
    {
        await using var host = await TestHost.StartAsync();

        using var document = await GetDiscoveryAsync(host);

        document.RootElement.GetProperty("registration_endpoint").GetString().ShouldBe("https://localhost/oidc/register");
    }

    [Fact]
    public async Task Discovery_FlagOff_OmitsRegistrationEndpoint()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);

        using var document = await GetDiscoveryAsync(host);

        document.RootElement.TryGetProperty("registration_endpoint", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Discovery_FlagFlippedInTenantSettings_FollowsAtOnce()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);

        await host.TenantSettings.UpdateAsync(s => s with { Flags = s.Flags with { EnableDynamicClientRegistration = true } }, CancellationToken.None);
        using (var on = await GetDiscoveryAsync(host))
        {
            on.RootElement.GetProperty("registration_endpoint").GetString().ShouldBe("https://localhost/oidc/register");
        }

        await host.TenantSettings.UpdateAsync(s => s with { Flags = s.Flags with { EnableDynamicClientRegistration = false } }, CancellationToken.None);
        using var off = await GetDiscoveryAsync(host);
        off.RootElement.TryGetProperty("registration_endpoint", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Discovery_ResponseTypes_IncludeCodeIdTokenIdTokenTokenAndToken()
    {
        await using var host = await TestHost.StartAsync();

        using var document = await GetDiscoveryAsync(host);

        Strings(document.RootElement, "response_types_supported").ShouldBe(["code", "id_token", "id_token token", "token"], ignoreOrder: true);
    }

    [Fact]
    public async Task Discovery_TokenEndpointAuthMethods_IncludeClientSecretPostAndNone()
    {
        await using var host = await TestHost.StartAsync();

        using var document = await GetDiscoveryAsync(host);

        var methods = Strings(document.RootElement, "token_endpoint_auth_methods_supported");
        methods.ShouldContain("client_secret_post");
        methods.ShouldContain("none");
    }

    [Fact]
    public async Task Discovery_GrantTypes_IncludeCodeImplicitClientCredentialsRefreshToken()
    {
        await using var host = await TestHost.StartAsync();

        using var document = await GetDiscoveryAsync(host);

        var grants = Strings(document.RootElement, "grant_types_supported");
        grants.ShouldContain("authorization_code");
        grants.ShouldContain("implicit");
        grants.ShouldContain("client_credentials");
        grants.ShouldContain("refresh_token");
    }

    [Fact]
    public async Task Discovery_CodeChallengeMethods_S256AndNotPlain()
    {
        await using var host = await TestHost.StartAsync();

        using var document = await GetDiscoveryAsync(host);

        Strings(document.RootElement, "code_challenge_methods_supported").ShouldBe(["S256"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Discovery_AnyFlag_HasNoEmptyArrayAndNoNullAnywhere(bool flag)
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = flag);

        using var document = await GetDiscoveryAsync(host);

        var arrays = 0;
        Walk(document.RootElement, "$");
        arrays.ShouldBeGreaterThan(0, "the walk must have seen the arrays");

        void Walk(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var member in element.EnumerateObject())
                    {
                        Walk(member.Value, $"{path}.{member.Name}");
                    }

                    break;
                case JsonValueKind.Array:
                    arrays++;
                    element.GetArrayLength().ShouldBeGreaterThan(0, $"{path} is an empty array (OpenID Connect Discovery §4.2: omit it)");
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item, $"{path}[{index++}]");
                    }

                    break;
                case JsonValueKind.Null:
                    throw new ShouldAssertException($"{path} is null: omit the member instead");
            }
        }
    }

    [Theory]
    [InlineData(DiscoveryPath)]
    [InlineData("/.well-known/jwks.json")]
    public async Task WellKnown_CrossOriginRequest_AllowsAnyOrigin(string path)
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "Origin", "https://app.example.com" } } };

        using var response = await host.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
    }

    [Theory]
    [InlineData(DiscoveryPath)]
    [InlineData("/.well-known/jwks.json")]
    public async Task WellKnown_PlainHttpToHttpsIssuer_Returns400JsonError(string path)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.GetAsync("http://localhost" + path);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("error").GetString().ShouldBe("invalid_request");
        body.RootElement.GetProperty("error_description").GetString().ShouldNotBeNullOrWhiteSpace();
    }
}
