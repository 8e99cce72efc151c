using System.Net;
using System.Text.Json;
using DynReg.Middleware.IntegrationTests.Management;
using DynReg.Middleware.IntegrationTests.Tokens;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Dashboard;

/// <summary>Connections: the list with strategies, and the domain-connection switch that decides what third-party clients may use.</summary>
public sealed class DashboardConnectionsTests
{
    private const string Connections = "/dynreg/admin/connections";
    private const string Database = "Username-Password-Authentication";
    private const string Other = "Partners";
    private const string Saml = "Corporate-SSO";

    [Fact]
    public async Task List_ShowsEveryConnectionWithStrategyAndDomainState()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var database = await host.Connections.FindByNameAsync(Database, CancellationToken.None);

        var page = await admin.PageAsync(Connections);

        page.ShouldContain($"<tr data-connection=\"{Database}\"><td>{Database}</td><td><code>auth0</code></td><td><code>{database!.Id}</code></td><td><span class=\"badge off\">No</span>");
        page.ShouldContain($"<tr data-connection=\"{Other}\"><td>{Other}</td><td><code>auth0</code></td>");
        page.ShouldContain($"<tr data-connection=\"{Saml}\"><td>{Saml}</td><td><code>samlp</code></td>");
        page.ShouldContain("<span class=\"badge on\">Yes</span>");
        page.ShouldContain(">Promote to domain connection<");
        page.ShouldContain(">Demote<");
    }

    [Fact]
    public async Task Promote_DomainConnectionInApiAndOfferedToADynamicClient()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var (clientId, _) = await host.RegisterClientAsync();
        var database = (await host.Connections.FindByNameAsync(Database, CancellationToken.None))!;
        (await ClientScriptAsync(host, clientId)).ShouldNotContain(Database);
        var page = await admin.PageAsync(Connections);

        using var response = await admin.SubmitAsync(page, $"/connections/{database.Id}/domain");

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.ShouldBe(Connections + "?notice=connection-promoted");
        var token = await host.GetManagementTokenAsync();
        using var api = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v2/connections/{database.Id}", token));
        api.RootElement.GetProperty("is_domain_connection").GetBoolean().ShouldBeTrue();
        (await ClientScriptAsync(host, clientId)).ShouldContain($"\"name\":\"{Database}\"");
        (await host.Client.GetStringAsync("/info-v1.js")).ShouldContain($"\"name\":\"{Database}\"");
        (await admin.PageAsync(response.Headers.Location.OriginalString)).ShouldContain("The connection is now a domain connection.");
    }

    [Fact]
    public async Task Demote_NoLongerOfferedToADynamicClient()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var (clientId, _) = await host.RegisterClientAsync();
        var other = (await host.Connections.FindByNameAsync(Other, CancellationToken.None))!;
        (await ClientScriptAsync(host, clientId)).ShouldContain($"\"name\":\"{Other}\"");
        var page = await admin.PageAsync(Connections);

        using var response = await admin.SubmitAsync(page, $"/connections/{other.Id}/domain");

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.ShouldBe(Connections + "?notice=connection-demoted");
        (await host.Connections.FindByIdAsync(other.Id, CancellationToken.None))!.IsDomainConnection.ShouldBeFalse();
        (await ClientScriptAsync(host, clientId)).ShouldNotContain(Other);
        (await host.Client.GetStringAsync("/info-v1.js")).ShouldNotContain(Other);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("")]
    [InlineData("True")]
    public async Task Switch_BadValue_400AndNothingChanged(string value)
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs);
        using var admin = host.NewClient();
        var database = (await host.Connections.FindByNameAsync(Database, CancellationToken.None))!;
        var page = await admin.PageAsync(Connections);
        var before = await DashboardState.ReadAsync(host);

        using var response = await admin.SubmitAsync(page, $"/connections/{database.Id}/domain", new Dictionary<string, string> { ["is_domain_connection"] = value });

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, html);
        DashboardClient.ErrorText(html).ShouldBe("Nothing was changed: is_domain_connection must be true or false");
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
        logs.Audit.ShouldBeEmpty();
    }

    [Fact]
    public async Task Switch_UnknownConnection_404()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var token = DashboardClient.Token(await admin.PageAsync(Connections));

        using var response = await admin.PostAsync("/dynreg/admin/connections/con_doesnotexist00/domain", new Dictionary<string, string>
        {
            [DashboardClient.TokenField] = token,
            ["is_domain_connection"] = "true",
        });

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound, html);
        DashboardClient.ErrorText(html).ShouldBe("The connection does not exist.");
    }

    [Fact]
    public async Task Promote_OneAuditLineNamingTheDashboardUser()
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs);
        using var admin = host.NewClient();
        var database = (await host.Connections.FindByNameAsync(Database, CancellationToken.None))!;

        using var response = await admin.SubmitAsync(await admin.PageAsync(Connections), $"/connections/{database.Id}/domain");

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        var audit = logs.Audit.ShouldHaveSingleItem();
        audit.EventId.ShouldBe(2002);
        audit.Values["ConnectionId"].ShouldBe(database.Id);
        audit.Values["Actor"].ShouldBe(DashboardHost.Admin);
        audit.Values["Channel"].ShouldBe("dashboard");
    }

    private static Task<TestHost> StartAsync(LogCapture? logs = null) => DashboardHost.StartAsync(
        logs,
        configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = true,
        build: b => b.AddConnection(Database, isDomainConnection: false).AddConnection(Other, isDomainConnection: true).AddConnection(Saml, "samlp"));

    /// <summary>Lock's client file for <paramref name="clientId"/>: the connections its login offers.</summary>
    private static Task<string> ClientScriptAsync(TestHost host, string clientId) => host.Client.GetStringAsync($"/client/{clientId}.js");
}
