using System.Net;
using System.Text.Json;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Users;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>
/// CHECKLIST C6: a third-party (dynamically registered) client is offered and accepts only
/// domain connections; a first-party client also uses the connections whose enabled_clients list it.
/// </summary>
public sealed class ConnectionSelectionTests
{
    private const string Internal = "Internal-Employees";
    private const string StaffEmail = "staff@example.com";
    private const string FirstPartyId = "first-party-app";
    private const string FirstPartySecret = "first-party-app-secret-for-tests";
    private const string FirstPartyRedirect = "https://first.example.com/cb";

    [Fact]
    public async Task ThirdParty_LoginPage_ListsOnlyDomainConnections()
    {
        await using var host = await StartWithInternalConnectionAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));

        Names(config.GetProperty("connections")).ShouldBe([Connection]);
        config.GetProperty("isThirdPartyClient").GetBoolean().ShouldBeTrue();
    }

    // Even a non-domain connection that lists the third-party client is not offered to it.
    [Fact]
    public async Task ThirdParty_ListedInEnabledClientsOfNonDomainConnection_StillNotOffered()
    {
        await using var host = await StartWithInternalConnectionAsync();
        var client = await RegisterAsync(host);
        await EnableAsync(host, Internal, client.ClientId);
        using var browser = host.NewBrowser();

        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));

        Names(config.GetProperty("connections")).ShouldBe([Connection]);
    }

    [Theory]
    [InlineData(Internal)]
    [InlineData("No-Such-Connection")]
    public async Task ThirdParty_ConnectionParameterNotDomain_RedirectsError(string connection)
    {
        await using var host = await StartWithInternalConnectionAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId, state: "xyz", extra: ("connection", connection)));

        ShouldBeErrorRedirect(response, "invalid_request", fragment: true)["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task ThirdParty_ConnectionParameterDomain_ForcedOnLoginPage()
    {
        await using var host = await StartWithInternalConnectionAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId, extra: ("connection", Connection)));

        config.GetProperty("connection").GetString().ShouldBe(Connection);
        Names(config.GetProperty("connections")).ShouldBe([Connection]);
    }

    // The credentials are right for the non-domain connection; the third-party client may not use it.
    [Fact]
    public async Task ThirdParty_CredentialPostWithNonDomainConnection_InvalidConnection()
    {
        await using var host = await StartWithInternalConnectionAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));

        using var response = await browser.PostCredentialsAsync(config, StaffEmail, Password, connection: Internal);

        var body = await JsonAsync(response, HttpStatusCode.BadRequest);
        body.GetProperty("code").GetString().ShouldBe("invalid_connection");
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("wresult");
    }

    [Fact]
    public async Task ThirdParty_NoDomainConnection_RedirectsAccessDenied()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddConnection(Internal)
            .AddInMemoryUsers(new InMemoryUser(Internal, StaffEmail, Password)));
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId, state: "xyz"));

        ShouldBeErrorRedirect(response, "access_denied", fragment: true)["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task ThirdParty_ConnectionDemotedWhileOnLoginPage_CredentialPostRefused()
    {
        await using var host = await StartWithInternalConnectionAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));
        var id = (await host.Connections.FindByNameAsync(Connection, CancellationToken.None))!.Id;
        await host.Connections.UpdateAsync(id, c => c with { IsDomainConnection = false }, CancellationToken.None);

        using var response = await browser.PostCredentialsAsync(config, Email, Password, connection: Connection);

        (await JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("code").GetString().ShouldBe("invalid_connection");
    }

    // A first-party client sees the connections that enable it, and signs in through them without consent.
    [Fact]
    public async Task FirstParty_EnabledConnection_OfferedAndUsable()
    {
        await using var host = await StartWithInternalConnectionAsync();
        await EnableAsync(host, Internal, FirstPartyId);
        using var browser = host.NewBrowser();
        var authorize = Authorize(("client_id", FirstPartyId), ("response_type", "code"), ("redirect_uri", FirstPartyRedirect), ("scope", "openid email"), ("state", "xyz"));

        var config = await OpenLoginPageAsync(browser, authorize);
        Names(config.GetProperty("connections")).Order().ShouldBe([Internal, Connection]);
        config.GetProperty("isThirdPartyClient").GetBoolean().ShouldBeFalse();
        using var login = await browser.PostCredentialsAsync(config, StaffEmail, Password, connection: Internal);
        using var callback = await browser.SubmitFormAsync(await login.Content.ReadAsStringAsync());

        // First-party: no consent page.
        callback.StatusCode.ShouldBe(HttpStatusCode.Found);
        var query = Browser.ResponseParameters(callback.Headers.Location!, fragment: false);
        query["state"].ShouldBe("xyz");
        using var token = await TokenAsync(host, ("grant_type", "authorization_code"), ("client_id", FirstPartyId), ("client_secret", FirstPartySecret),
            ("code", query["code"]), ("redirect_uri", FirstPartyRedirect));
        var idToken = Jwt((await JsonAsync(token, HttpStatusCode.OK)).GetProperty("id_token").GetString()!);
        idToken.GetPayloadValue<string>("email").ShouldBe(StaffEmail);
    }

    [Fact]
    public async Task FirstParty_ConnectionNotEnabled_NotOffered()
    {
        await using var host = await StartWithInternalConnectionAsync();
        using var browser = host.NewBrowser();

        var config = await OpenLoginPageAsync(browser,
            Authorize(("client_id", FirstPartyId), ("response_type", "code"), ("redirect_uri", FirstPartyRedirect), ("scope", "openid"), ("state", "xyz")));

        Names(config.GetProperty("connections")).ShouldBe([Connection]);
    }

    private static Task<TestHost> StartWithInternalConnectionAsync()
        => StartAsync(build: b => b.AddConnection(Internal)
            .AddInMemoryUsers(new InMemoryUser(Internal, StaffEmail, Password, "Staff Member"))
            .AddClient(new FirstPartyClientOptions
            {
                ClientId = FirstPartyId,
                ClientSecret = FirstPartySecret,
                Name = "First Party App",
                GrantTypes = ["authorization_code"],
                RedirectUris = [FirstPartyRedirect],
            }));

    // Through the Management API, as a tenant owner would.
    private static async Task EnableAsync(TestHost host, string connectionName, string clientId)
    {
        var id = (await host.Connections.FindByNameAsync(connectionName, CancellationToken.None))!.Id;
        var token = await host.GetManagementTokenAsync("update:connections");
        using var patch = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, $"/api/v2/connections/{id}", token,
            TestHost.Json($$"""{"enabled_clients":["{{clientId}}"]}""")));
        patch.StatusCode.ShouldBe(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
    }

    private static string[] Names(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
