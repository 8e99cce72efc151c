using System.Net;
using System.Text.Json;
using DynReg.Middleware.IntegrationTests.Management;
using DynReg.Middleware.IntegrationTests.Tokens;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Dashboard;

/// <summary>Applications: the list (search, 50 per page), and one application's edit, secret rotation and deletion.</summary>
public sealed class DashboardApplicationsTests
{
    private const string Applications = "/dynreg/admin/applications";
    private const string RedirectUri = "https://app.example.com/callback";

    private static string Detail(string id) => $"{Applications}/{id}";

    [Fact]
    public async Task List_ShowsNamePartyRedirectUrisAndCreated()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var (clientId, _) = await host.RegisterClientAsync();
        var stored = (await host.Clients.FindByIdAsync(clientId, CancellationToken.None))!;

        var page = await admin.PageAsync(Applications);

        DashboardClient.ClientIds(page).ShouldBe([TestHost.ManagementClientId, clientId]);
        page.ShouldContain($"<tr data-client-id=\"{clientId}\"><td><a href=\"{Detail(clientId)}\">Dynamic</a></td><td><code>{clientId}</code></td><td>Third-party</td>"
            + $"<td><ul class=\"uris\"><li><code>{RedirectUri}</code></li></ul></td><td>{stored.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC</td>");
        page.ShouldContain($"<td><code>{TestHost.ManagementClientId}</code></td><td>First-party</td>");
        page.ShouldContain("2 applications, in the order they were created. Page 1 of 1.");
    }

    [Fact]
    public async Task List_121Clients_50PerPageInCreationOrderWithLinks()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var seeded = await SeedAsync(host, 120, i => $"App {i:D3}");
        var all = new[] { TestHost.ManagementClientId }.Concat(seeded).ToList();

        var first = await admin.PageAsync(Applications);
        var second = await admin.PageAsync(Applications + "?page=2");
        var third = await admin.PageAsync(Applications + "?page=3");
        var beyond = await admin.PageAsync(Applications + "?page=4");

        DashboardClient.ClientIds(first).ShouldBe(all.Take(50));
        DashboardClient.ClientIds(second).ShouldBe(all.Skip(50).Take(50));
        DashboardClient.ClientIds(third).ShouldBe(all.Skip(100));
        DashboardClient.ClientIds(beyond).ShouldBeEmpty();
        first.ShouldContain("121 applications, in the order they were created. Page 1 of 3.");
        first.ShouldContain($"id=\"next-page\" rel=\"next\" href=\"{Applications}?page=2\"");
        first.ShouldContain($"id=\"last-page\" href=\"{Applications}?page=3\"");
        first.ShouldNotContain("previous-page");
        second.ShouldContain($"id=\"previous-page\" rel=\"prev\" href=\"{Applications}?page=1\"");
        third.ShouldNotContain("next-page");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("two")]
    public async Task List_PageThatIsNotAPageNumber_FirstPage(string page)
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();

        var html = await admin.PageAsync(Applications + "?page=" + page);

        DashboardClient.ClientIds(html).ShouldBe([TestHost.ManagementClientId]);
        html.ShouldContain("Page 1 of 1.");
    }

    [Fact]
    public async Task Search_ByNameSubstringIgnoringCase_MatchesOnly()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var seeded = await SeedAsync(host, 30, i => i % 3 == 0 ? $"Blue Whale {i}" : $"Red Fox {i}");

        var html = await admin.PageAsync(Applications + "?q=" + Uri.EscapeDataString("blue whale"));

        DashboardClient.ClientIds(html).ShouldBe(seeded.Where((_, i) => i % 3 == 0));
        html.ShouldContain("Matches for <strong>blue whale</strong>, page 1.");
        html.ShouldContain("value=\"blue whale\"");
        html.ShouldNotContain("next-page");
    }

    [Fact]
    public async Task Search_ByExactIdOrIdSubstring_FindsTheClient()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var seeded = await SeedAsync(host, 5, i => $"App {i}");
        var target = seeded[3];

        var exact = await admin.PageAsync(Applications + "?q=" + target);
        var part = await admin.PageAsync(Applications + "?q=" + target[4..12].ToLowerInvariant());

        DashboardClient.ClientIds(exact).ShouldBe([target]);
        DashboardClient.ClientIds(part).ShouldBe([target]);
    }

    [Fact]
    public async Task Search_MoreThanAPage_PagesThroughMatches()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var seeded = await SeedAsync(host, 130, i => i % 2 == 0 ? $"Even {i}" : $"Odd {i}");
        var evens = seeded.Where((_, i) => i % 2 == 0).ToList();

        var first = await admin.PageAsync(Applications + "?q=even");
        var second = await admin.PageAsync(Applications + "?q=even&page=2");

        DashboardClient.ClientIds(first).ShouldBe(evens.Take(50));
        DashboardClient.ClientIds(second).ShouldBe(evens.Skip(50));
        first.ShouldContain($"id=\"next-page\" rel=\"next\" href=\"{Applications}?q=even&amp;page=2\"");
        second.ShouldNotContain("next-page");
    }

    [Fact]
    public async Task Search_NoMatch_SaysSo()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        await SeedAsync(host, 3, i => $"App {i}");

        var html = await admin.PageAsync(Applications + "?q=" + Uri.EscapeDataString("<nothing>"));

        DashboardClient.ClientIds(html).ShouldBeEmpty();
        html.ShouldContain("No applications match.");
        html.ShouldContain("Matches for <strong>&lt;nothing&gt;</strong>");
    }

    [Fact]
    public async Task Edit_NameAndRedirectUris_VisibleInApiAndAudited()
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs);
        using var admin = host.NewClient();
        var (clientId, _) = await host.RegisterClientAsync();
        var page = await admin.PageAsync(Detail(clientId));

        using var response = await admin.SubmitAsync(page, "edit-form", new Dictionary<string, string>
        {
            ["name"] = "  Renamed App  ",
            ["redirect_uris"] = "https://app.example.com/new\r\n\r\nhttps://app.example.com/other\r\nhttps://app.example.com/new\r\n",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.ShouldBe(Detail(clientId) + "?notice=application-saved");
        var token = await host.GetManagementTokenAsync();
        using var api = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v2/clients/{clientId}", token));
        api.RootElement.GetProperty("name").GetString().ShouldBe("Renamed App");
        api.RootElement.GetProperty("callbacks").EnumerateArray().Select(e => e.GetString())
            .ShouldBe(["https://app.example.com/new", "https://app.example.com/other"]);
        var audit = logs.Audit.ShouldHaveSingleItem();
        audit.EventId.ShouldBe(2004);
        audit.Values["ClientId"].ShouldBe(clientId);
        audit.Values["Actor"].ShouldBe(DashboardHost.Admin);
        audit.Values["Channel"].ShouldBe("dashboard");
        (await admin.PageAsync(response.Headers.Location.OriginalString)).ShouldContain("Changes saved.");
    }

    [Fact]
    public async Task Edit_NothingDifferent_NoWriteNoAuditLine()
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs);
        using var admin = host.NewClient();
        var (clientId, _) = await host.RegisterClientAsync();
        var page = await admin.PageAsync(Detail(clientId));
        var before = await DashboardState.ReadAsync(host);

        using var response = await admin.SubmitAsync(page, "edit-form", new Dictionary<string, string>
        {
            ["name"] = "Dynamic",
            ["redirect_uris"] = RedirectUri,
        });

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.ShouldBe(Detail(clientId) + "?notice=application-unchanged");
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
        logs.Audit.ShouldBeEmpty();
    }

    public static TheoryData<string, string, string> BadEdits => new()
    {
        { "", RedirectUri, "name must be a string of 1 to 256 characters" },
        { new string('n', 257), RedirectUri, "name must be a string of 1 to 256 characters" },
        { "Fine", "http://app.example.com/callback", "The callback http://app.example.com/callback uses http, which web clients may use only on a loopback host for the code flow (https otherwise)" },
        { "Fine", "https://app.example.com/callback#fragment", "The callback https://app.example.com/callback#fragment must not contain a fragment" },
        { "Fine", "javascript:alert(1)", "The callback javascript:alert(1) must not use the 'javascript' scheme" },
        { "Fine", "/relative/callback", "The callback /relative/callback must be an absolute URI" },
        { "Fine", string.Join('\n', Enumerable.Range(0, 21).Select(i => $"https://app.example.com/cb{i}")), "callbacks must be an array of at most 20 URIs" },
    };

    [Theory]
    [MemberData(nameof(BadEdits))]
    public async Task Edit_BadInput_400WithTheApisRuleAndNothingChanged(string name, string redirectUris, string message)
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs);
        using var admin = host.NewClient();
        var (clientId, _) = await host.RegisterClientAsync();
        var page = await admin.PageAsync(Detail(clientId));
        var before = await DashboardState.ReadAsync(host);

        using var response = await admin.SubmitAsync(page, "edit-form", new Dictionary<string, string> { ["name"] = name, ["redirect_uris"] = redirectUris });

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, html);
        DashboardClient.ErrorText(html).ShouldBe("Nothing was changed: " + message);
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
        logs.Audit.ShouldBeEmpty();

        // The form keeps what was typed, to be corrected.
        html.ShouldContain(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(redirectUris));

        // The API refuses the same input with the same words.
        var token = await host.GetManagementTokenAsync();
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = name,
            ["callbacks"] = redirectUris.Split('\n'),
        });
        using var api = await host.SendAsync(HttpMethod.Patch, $"/api/v2/clients/{clientId}", token, body);
        (await api.Content.ReadAsStringAsync()).ShouldContain(JsonEncodedText.Encode(message).ToString());
    }

    // OpenID Connect Registration 1.0 §2: the registered client uses implicit (permissive mode gives it),
    // so its redirect URIs must be https and not localhost; the edit is checked as the whole client.
    [Theory]
    [InlineData("https://localhost/cb", "The callback https://localhost/cb cannot be used with implicit: web clients using implicit must use https and not localhost")]
    [InlineData("http://127.0.0.1/cb", "The callback http://127.0.0.1/cb cannot be used with implicit: web clients using implicit must use https and not localhost")]
    public async Task Edit_LoopbackRedirectUriOnImplicitWebClient_400AndNothingChanged(string redirectUri, string message)
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs);
        using var admin = host.NewClient();
        var (clientId, _) = await host.RegisterClientAsync();
        (await host.Clients.FindByIdAsync(clientId, CancellationToken.None))!.GrantTypes.ShouldContain("implicit");
        var page = await admin.PageAsync(Detail(clientId));
        var before = await DashboardState.ReadAsync(host);

        using var response = await admin.SubmitAsync(page, "edit-form", new Dictionary<string, string> { ["name"] = "Dynamic", ["redirect_uris"] = redirectUri });

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, html);
        DashboardClient.ErrorText(html).ShouldBe("Nothing was changed: " + message);
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
        logs.Audit.ShouldBeEmpty();
    }

    [Fact]
    public async Task RotateSecret_NewSecretShownOnceOldOneStopsWorking()
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs);
        using var admin = host.NewClient();
        var (clientId, oldSecret) = await host.RegisterClientAsync();
        var page = await admin.PageAsync(Detail(clientId));

        using var response = await admin.SubmitAsync(page, "rotate-form");

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var secret = System.Text.RegularExpressions.Regex.Match(html, "<code class=\"secret\" id=\"new-secret\">([^<]+)</code>").Groups[1].Value;
        secret.Length.ShouldBe(64);
        var stored = (await host.Clients.FindByIdAsync(clientId, CancellationToken.None))!;
        stored.ClientSecretHash.ShouldBe(ClientSecrets.Hash(secret));
        stored.ClientSecretHash.ShouldNotBe(ClientSecrets.Hash(oldSecret!));
        (await admin.PageAsync(Detail(clientId))).ShouldNotContain(secret);
        var audit = logs.Audit.ShouldHaveSingleItem();
        audit.EventId.ShouldBe(2006);
        audit.Values["Actor"].ShouldBe(DashboardHost.Admin);
        audit.Message.ShouldNotContain(secret);
    }

    [Fact]
    public async Task RotateSecret_PublicClient_NoFormAnd400ThroughTheApisRule()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var (clientId, _) = await host.RegisterClientAsync(tokenEndpointAuthMethod: "none");
        var page = await admin.PageAsync(Detail(clientId));
        page.ShouldNotContain("rotate-form");
        var before = await DashboardState.ReadAsync(host);

        using var response = await admin.PostAsync(Detail(clientId) + "/rotate-secret", new Dictionary<string, string> { [DashboardClient.TokenField] = DashboardClient.Token(page) });

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, html);
        DashboardClient.ErrorText(html).ShouldBe("Nothing was changed: The client is public (token_endpoint_auth_method none) and has no secret.");
        (await DashboardState.ReadAsync(host)).ShouldBeUnchangedFrom(before);
    }

    [Fact]
    public async Task Delete_AfterConfirmation_GoneFromApiAndAuthorizeFails()
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs);
        using var admin = host.NewClient();
        var (clientId, _) = await host.RegisterClientAsync();
        var authorize = $"/authorize?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}"
            + "&scope=openid&state=s1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        using (var before = await host.Client.GetAsync(authorize))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK, await before.Content.ReadAsStringAsync()); // the login page
        }

        var confirm = await admin.PageAsync(Detail(clientId) + "/delete");
        confirm.ShouldContain("<strong id=\"delete-name\">Dynamic</strong>");
        using var response = await admin.SubmitAsync(confirm, "delete-form");

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.ShouldBe(Applications + "?notice=application-deleted");
        var token = await host.GetManagementTokenAsync();
        using (var api = await host.SendAsync(HttpMethod.Get, $"/api/v2/clients/{clientId}", token))
        {
            await api.ShouldBeAuth0ErrorAsync(HttpStatusCode.NotFound, "The client does not exist", "inexistent_client");
        }

        using var after = await host.Client.GetAsync(authorize);
        after.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        after.Headers.Location.ShouldBeNull();
        DashboardClient.ClientIds(await admin.PageAsync(Applications)).ShouldNotContain(clientId);
        var audit = logs.Audit.ShouldHaveSingleItem();
        audit.EventId.ShouldBe(2005);
        audit.Values["ClientId"].ShouldBe(clientId);
        audit.Values["Actor"].ShouldBe(DashboardHost.Admin);
    }

    [Fact]
    public async Task Delete_Twice_SecondIs404()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var (clientId, _) = await host.RegisterClientAsync();
        var confirm = await admin.PageAsync(Detail(clientId) + "/delete");
        using (var first = await admin.SubmitAsync(confirm, "delete-form"))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        }

        using var second = await admin.SubmitAsync(confirm, "delete-form");

        var html = await second.Content.ReadAsStringAsync();
        second.StatusCode.ShouldBe(HttpStatusCode.NotFound, html);
        DashboardClient.ErrorText(html).ShouldBe("The application does not exist; it may have been deleted.");
        (await admin.GetAsync(Detail(clientId))).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ApiChange_ShowsOnThePageAtOnce()
    {
        await using var host = await StartAsync();
        using var admin = host.NewClient();
        var (clientId, _) = await host.RegisterClientAsync();
        var token = await host.GetManagementTokenAsync();

        await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v2/clients/{clientId}", token, """{"name":"Named by the API"}""");

        (await admin.PageAsync(Detail(clientId))).ShouldContain("<dd id=\"client-name\">Named by the API</dd>");
    }

    private static Task<TestHost> StartAsync(LogCapture? logs = null)
        => DashboardHost.StartAsync(
            logs,
            configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = true,
            build: b => b.AddConnection("Username-Password-Authentication", isDomainConnection: true));

    /// <summary>Adds clients straight to the store, in order; returns their ids.</summary>
    private static async Task<List<string>> SeedAsync(TestHost host, int count, Func<int, string> name)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = $"seed{i:D4}" + Guid.NewGuid().ToString("N")[..24];
            var created = await host.Clients.CreateAsync(new Client
            {
                ClientId = id,
                ClientName = name(i),
                RedirectUris = [RedirectUri],
                ClientSecretHash = ClientSecrets.Hash("seeded-secret"),
                IsDynamicallyRegistered = true,
                CreatedAt = DateTimeOffset.UtcNow,
            }, CancellationToken.None);
            created.Succeeded.ShouldBeTrue();
            ids.Add(id);
        }

        return ids;
    }
}
