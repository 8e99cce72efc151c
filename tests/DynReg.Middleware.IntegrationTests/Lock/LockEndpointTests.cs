using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Lock;

/// <summary>The JSONP files and start-up calls Lock makes (LOCK.md §(a) rows 3-10).</summary>
public sealed partial class LockEndpointTests
{
    private const string Domain = "Username-Password-Authentication";
    private const string Internal = "Internal-Staff";

    [Theory]
    [InlineData("/info-v1.js")]
    [InlineData("/tenants/v1/tenant.js")]
    [InlineData("/tenants/v1/127.js")]
    public async Task TenantInfo_AnyLockPath_ListsOnlyDomainConnections(string path)
    {
        await using var host = await StartAsync();

        using var response = await host.Client.GetAsync(path + "?t1795713926494");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/javascript");
        var tenant = Payload(await response.Content.ReadAsStringAsync(), "Auth0.setTenant");
        var connections = tenant.GetProperty("connections");
        connections.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["database", "enterprise", "passwordless", "social"]);
        var database = connections.GetProperty("database");
        database.GetArrayLength().ShouldBe(1);
        database[0].GetProperty("name").GetString().ShouldBe(Domain);
        database[0].GetProperty("allowSignup").GetBoolean().ShouldBeFalse();
        database[0].GetProperty("showSignup").GetBoolean().ShouldBeFalse();
        tenant.GetProperty("clientsConnections").EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task ClientInfo_FirstPartyClient_IdMatchesAndListsEnabledConnections()
    {
        await using var host = await StartAsync();
        var token = await host.GetManagementTokenAsync();
        var internalConnection = await host.Connections.FindByNameAsync(Internal, CancellationToken.None);
        using (var patch = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, $"/api/v2/connections/{internalConnection!.Id}", token,
                   TestHost.Json("""{"enabled_clients":["first-party-web"]}"""))))
        {
            patch.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var response = await host.Client.GetAsync("/client/first-party-web.js?t1795713926494");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/javascript");
        var client = Payload(await response.Content.ReadAsStringAsync(), "Auth0.setClient");
        client.GetProperty("id").GetString().ShouldBe("first-party-web");
        client.GetProperty("subscription").GetString().ShouldNotBeOneOf("free", "dev");
        var names = client.GetProperty("strategies")[0].GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order();
        names.ShouldBe([Internal, Domain]);
    }

    [Fact]
    public async Task ClientInfo_UnknownClient_Returns404Script()
    {
        await using var host = await StartAsync();

        using var response = await host.Client.GetAsync("/client/nobody.js");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("Auth0.setClient");
    }

    [Theory]
    [InlineData("/usernamepassword/challenge")]
    [InlineData("/passwordless/challenge")]
    [InlineData("/dbconnections/change_password/challenge")]
    [InlineData("/dbconnections/signup/challenge")]
    public async Task Challenge_AnyState_NotRequired(string path)
    {
        await using var host = await StartAsync();

        using var response = await host.Client.PostAsync(path, TestHost.Json("""{"state":"whatever"}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"required":false}""");
    }

    [Theory]
    [InlineData("/user/ssodata")]
    [InlineData("/user/ssodata/")]
    public async Task SsoData_BothSpellings_NoSso(string path)
    {
        await using var host = await StartAsync();

        using var response = await host.Client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"sso":false}""");
    }

    [Fact]
    public async Task LockAssets_Off_NotServed()
    {
        await using var host = await StartAsync();

        using var response = await host.Client.GetAsync("/lock-assets?t1");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LockAssets_On_BareUrlIsTenantFileAndDictionariesServed()
    {
        await using var host = await StartAsync(o =>
        {
            o.LoginPage.ServeLockAssets = true;
            o.LoginPage.LanguageDictionaries["en"] = """{"title":"Welcome"}""";
        });

        using var tenant = await host.Client.GetAsync("/lock-assets?t1795713926494");
        using var dictionary = await host.Client.GetAsync("/lock-assets/js/lock/11.35.1/en.js");
        using var missing = await host.Client.GetAsync("/lock-assets/js/lock/11.35.1/de.js");

        Payload(await tenant.Content.ReadAsStringAsync(), "Auth0.setTenant").GetProperty("connections").GetProperty("database").GetArrayLength().ShouldBe(1);
        (await dictionary.Content.ReadAsStringAsync()).ShouldBe("""Auth0.registerLanguageDictionary("en", {"title":"Welcome"});""");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LoginPage_LockTemplate_PassesUseTenantInfoAndNoncedScripts()
    {
        await using var host = await StartAsync(o => o.LoginPage.UseLockTemplate("https://127.0.0.1:5001/lock/lock.min.js"));
        using var registered = await host.RegisterAsync("""{"client_name":"Partner","redirect_uris":["https://app.example.com/cb"]}""");
        var clientId = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("client_id").GetString();

        using var page = await host.Client.GetAsync($"/authorize?client_id={clientId}&redirect_uri={Uri.EscapeDataString("https://app.example.com/cb")}&response_type=code&scope=openid");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("""<script src="https://127.0.0.1:5001/lock/lock.min.js"></script>""");
        html.ShouldContain("__useTenantInfo: config.isThirdPartyClient");
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("https://127.0.0.1:5001");
        var nonce = Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        html.ShouldContain($"<script nonce=\"{nonce}\">");
        Browser.LoginConfig(html).GetProperty("isThirdPartyClient").GetBoolean().ShouldBeTrue();
    }

    private static Task<TestHost> StartAsync(Action<DynamicRegistrationOptions>? configure = null) => TestHost.StartAsync(
        configure: configure,
        build: b => b.AddConnection(Domain, isDomainConnection: true)
            .AddConnection(Internal)
            .AddClient(new FirstPartyClientOptions
            {
                ClientId = "first-party-web",
                ClientSecret = "first-party-web-secret-0123456789",
                GrantTypes = ["authorization_code"],
                RedirectUris = ["https://app.example.com/cb"],
            }));

    private static JsonElement Payload(string script, string function)
    {
        script.ShouldStartWith(function + "(");
        script.ShouldEndWith(");");
        return JsonDocument.Parse(script[(function.Length + 1)..^2]).RootElement.Clone();
    }
}
