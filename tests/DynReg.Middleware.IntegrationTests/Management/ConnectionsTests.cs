using System.Net;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Management;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Management;

/// <summary><c>/api/v2/connections</c>: create, list with filters and paging, merge-PATCH (C5), delete, bad bodies.</summary>
public sealed class ConnectionsTests
{
    private const string Seeded = "Username-Password-Authentication";

    private static Task<TestHost> StartSeededAsync() => TestHost.StartAsync(build: b => b.AddConnection(Seeded));

    private static async Task<string> SeededIdAsync(TestHost host)
        => (await host.Connections.FindByNameAsync(Seeded, CancellationToken.None)).ShouldNotBeNull().Id;

    [Fact]
    public async Task Create_ValidBody_Returns201WithAuth0Shape()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v2/connections", token,
            """{"name":"my-db","strategy":"auth0","is_domain_connection":true,"enabled_clients":["a","b"],"options":{"mfa":{"active":true},"passwordPolicy":"good"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Headers.CacheControl?.NoStore.ShouldBe(true);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        var id = root.GetProperty("id").GetString()!;
        id.ShouldStartWith("con_");
        id.Length.ShouldBe(4 + 16);
        id[4..].ShouldAllBe(c => char.IsAsciiLetterOrDigit(c));
        root.GetProperty("name").GetString().ShouldBe("my-db");
        root.GetProperty("strategy").GetString().ShouldBe("auth0");
        root.GetProperty("is_domain_connection").GetBoolean().ShouldBeTrue();
        root.GetProperty("enabled_clients").EnumerateArray().Select(e => e.GetString()).ShouldBe(["a", "b"]);
        root.GetProperty("options").GetRawText().ShouldBe("""{"mfa":{"active":true},"passwordPolicy":"good"}""");
        var stored = (await host.Connections.FindByIdAsync(id, CancellationToken.None)).ShouldNotBeNull();
        stored.Name.ShouldBe("my-db");
        stored.IsDomainConnection.ShouldBeTrue();
    }

    [Fact]
    public async Task Create_TwoConnections_GetDifferentIds()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();

        var first = await host.CreateConnectionAsync(token, "one");
        var second = await host.CreateConnectionAsync(token, "two");

        first.ShouldNotBe(second);
    }

    // Names are unique, ignoring case, as on Auth0.
    [Theory]
    [InlineData(Seeded)]
    [InlineData("username-password-authentication")]
    public async Task Create_ExistingName_Returns409AndAddsNothing(string name)
    {
        await using var host = await StartSeededAsync();
        var token = await host.GetManagementTokenAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v2/connections", token, $$"""{"name":"{{name}}","strategy":"auth0"}""");

        await response.ShouldBeAuth0ErrorAsync(HttpStatusCode.Conflict, "A connection with the same name already exists", "connection_conflict");
        (await host.Connections.ListAsync(0, 100, CancellationToken.None)).Total.ShouldBe(1);
    }

    [Theory]
    [InlineData("""{"strategy":"auth0"}""")]
    [InlineData("""{"name":"ok"}""")]
    [InlineData("""{"name":"","strategy":"auth0"}""")]
    [InlineData("""{"name":"has space","strategy":"auth0"}""")]
    [InlineData("""{"name":"-leading","strategy":"auth0"}""")]
    [InlineData("""{"name":1,"strategy":"auth0"}""")]
    [InlineData("""{"name":"ok","strategy":""}""")]
    [InlineData("""{"name":"ok","strategy":"auth0","id":"con_chosenbyclient1"}""")]
    [InlineData("""{"name":"ok","strategy":"auth0","is_domain_connection":"yes"}""")]
    [InlineData("""{"name":"ok","strategy":"auth0","enabled_clients":"a"}""")]
    [InlineData("""{"name":"ok","strategy":"auth0","options":[]}""")]
    [InlineData("""["name","ok"]""")]
    [InlineData("not json")]
    public async Task Create_BadBody_Returns400InvalidBodyAndAddsNothing(string json)
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v2/connections", token, json);

        await response.ShouldBeInvalidBodyAsync();
        (await host.Connections.ListAsync(0, 100, CancellationToken.None)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task List_NameAndStrategyFilters_ReturnOnlyMatches()
    {
        await using var host = await StartSeededAsync();
        var token = await host.GetManagementTokenAsync();
        await host.CreateConnectionAsync(token, "google", "google-oauth2");
        await host.CreateConnectionAsync(token, "corp", "samlp");

        static async Task<string[]> NamesAsync(TestHost host, string token, string query)
        {
            using var body = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v2/connections" + query, token));
            return [.. body.RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];
        }

        (await NamesAsync(host, token, "")).ShouldBe([Seeded, "google", "corp"]);
        (await NamesAsync(host, token, "?name=" + Seeded)).ShouldBe([Seeded]);
        (await NamesAsync(host, token, "?name=nope")).ShouldBeEmpty();
        (await NamesAsync(host, token, "?strategy=samlp")).ShouldBe(["corp"]);
        (await NamesAsync(host, token, "?strategy=auth0&strategy=google-oauth2")).ShouldBe([Seeded, "google"]);
        (await NamesAsync(host, token, "?strategy=auth0&name=google")).ShouldBeEmpty();
    }

    [Fact]
    public async Task List_PerPageAndIncludeTotals_PagesThroughEveryConnectionOnce()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await host.CreateConnectionAsync(token, $"conn-{i}"));
        }

        var seen = new List<string>();
        for (var page = 0; page < 3; page++)
        {
            using var body = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get,
                $"/api/v2/connections?page={page}&per_page=3&include_totals=true", token));
            var root = body.RootElement;
            root.GetProperty("total").GetInt32().ShouldBe(7);
            root.GetProperty("start").GetInt32().ShouldBe(page * 3);
            root.GetProperty("limit").GetInt32().ShouldBe(3);
            var items = root.GetProperty("connections");
            items.GetArrayLength().ShouldBe(page < 2 ? 3 : 1);
            seen.AddRange(items.EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
        }

        seen.ShouldBe(created);
        using var beyond = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v2/connections?page=3&per_page=3", token));
        beyond.RootElement.ValueKind.ShouldBe(JsonValueKind.Array);
        beyond.RootElement.GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("?page=-1")]
    [InlineData("?per_page=0")]
    [InlineData("?per_page=101")]
    [InlineData("?include_totals=yes")]
    public async Task List_BadPaging_Returns400(string query)
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/api/v2/connections" + query, token);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("statusCode").GetInt32().ShouldBe(400);
    }

    // C5: the seed's promotion needs update:connections.
    [Fact]
    public async Task PatchDomainConnection_WithoutUpdateScope_Returns403AndChangesNothing()
    {
        await using var host = await StartSeededAsync();
        var id = await SeededIdAsync(host);
        var token = await host.GetManagementTokenAsync(ManagementApi.ReadConnections, ManagementApi.CreateConnections, ManagementApi.DeleteConnections);

        using var response = await host.SendAsync(HttpMethod.Patch, $"/api/v2/connections/{id}", token, """{"is_domain_connection":true}""");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            """{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: update:connections","errorCode":"insufficient_scope"}""");
        (await host.Connections.FindByIdAsync(id, CancellationToken.None))!.IsDomainConnection.ShouldBeFalse();
    }

    // C5
    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task UnknownId_Returns404InexistentConnection(string method)
    {
        await using var host = await StartSeededAsync();
        var token = await host.GetManagementTokenAsync();

        using var response = await host.SendAsync(new HttpMethod(method), "/api/v2/connections/con_doesnotexist0000", token,
            method == "PATCH" ? """{"is_domain_connection":true}""" : null);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            """{"statusCode":404,"error":"Not Found","message":"The connection does not exist","errorCode":"inexistent_connection"}""");
    }

    // C5 and SPEC §5: PATCH changes only the members sent.
    [Fact]
    public async Task Patch_EachMember_MergesAndKeepsTheOthers()
    {
        await using var host = await StartSeededAsync();
        var id = await SeededIdAsync(host);
        var token = await host.GetManagementTokenAsync();
        var path = $"/api/v2/connections/{id}";

        await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, path, token, """{"is_domain_connection":true}""");
        await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, path, token, """{"enabled_clients":["client-a","client-b"]}""");
        var afterOptions = await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, path, token,
            """{"options":{"brute_force_protection":true,"passwordPolicy":"fair","nested":{"list":[1,2.5,"x",null],"empty":{}}}}""");

        using var answer = JsonDocument.Parse(afterOptions);
        using var read = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, path, token));
        foreach (var root in new[] { answer.RootElement, read.RootElement })
        {
            root.GetProperty("id").GetString().ShouldBe(id);
            root.GetProperty("name").GetString().ShouldBe(Seeded);
            root.GetProperty("strategy").GetString().ShouldBe("auth0");
            root.GetProperty("is_domain_connection").GetBoolean().ShouldBeTrue();
            root.GetProperty("enabled_clients").EnumerateArray().Select(e => e.GetString()).ShouldBe(["client-a", "client-b"]);
            root.GetProperty("options").GetRawText().ShouldBe(
                """{"brute_force_protection":true,"passwordPolicy":"fair","nested":{"list":[1,2.5,"x",null],"empty":{}}}""");
        }

        // Sending is_domain_connection false is a change too, and keeps the rest.
        using var demoted = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, path, token, """{"is_domain_connection":false}"""));
        demoted.RootElement.GetProperty("is_domain_connection").GetBoolean().ShouldBeFalse();
        demoted.RootElement.GetProperty("enabled_clients").GetArrayLength().ShouldBe(2);
        demoted.RootElement.GetProperty("options").GetProperty("passwordPolicy").GetString().ShouldBe("fair");
    }

    // Bad bodies are refused before the store is touched: the stored record is the very same one.
    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("""{"is_domain_connection":"true"}""")]
    [InlineData("""{"is_domain_connection":null}""")]
    [InlineData("""{"enabled_clients":"client-a"}""")]
    [InlineData("""{"enabled_clients":[1]}""")]
    [InlineData("""{"options":[]}""")]
    [InlineData("""{"options":"x"}""")]
    [InlineData("""{"name":"renamed"}""")]
    [InlineData("""{"strategy":"samlp"}""")]
    [InlineData("""{"id":"con_0000000000000000"}""")]
    [InlineData("""{"foo":1}""")]
    [InlineData("""{"is_domain_connection":true,"foo":1}""")]
    [InlineData("""{"is_domain_connection":true,"enabled_clients":"x"}""")]
    [InlineData("""{"is_domain_connection":true,"is_domain_connection":false}""")]
    public async Task Patch_BadBody_Returns400InvalidBodyAndChangesNothing(string json)
    {
        await using var host = await StartSeededAsync();
        var id = await SeededIdAsync(host);
        var token = await host.GetManagementTokenAsync();
        var before = await host.Connections.FindByIdAsync(id, CancellationToken.None);

        using var response = await host.SendAsync(HttpMethod.Patch, $"/api/v2/connections/{id}", token, json);

        await response.ShouldBeInvalidBodyAsync();
        (await host.Connections.FindByIdAsync(id, CancellationToken.None)).ShouldBeSameAs(before);
    }

    // 64 KiB is the limit: over it is 413, whether the length is declared or the body is streamed.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Patch_BodyOver64KiB_Returns413AndChangesNothing(bool declareLength)
    {
        await using var host = await StartSeededAsync();
        var id = await SeededIdAsync(host);
        var token = await host.GetManagementTokenAsync();
        var before = await host.Connections.FindByIdAsync(id, CancellationToken.None);
        var json = """{"options":{"padding":"PAD"}}""".Replace("PAD", new string('a', 65 * 1024), StringComparison.Ordinal);
        HttpContent content = declareLength
            ? TestHost.Json(json)
            : new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(json))) { Headers = { ContentType = new("application/json") } };

        using var response = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, $"/api/v2/connections/{id}", token, content));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("statusCode").GetInt32().ShouldBe(413);
        body.RootElement.GetProperty("errorCode").GetString().ShouldBe("invalid_body");
        (await host.Connections.FindByIdAsync(id, CancellationToken.None)).ShouldBeSameAs(before);
    }

    [Fact]
    public async Task Patch_BodyJustUnder64KiB_IsAccepted()
    {
        await using var host = await StartSeededAsync();
        var id = await SeededIdAsync(host);
        var token = await host.GetManagementTokenAsync();
        const string Frame = """{"options":{"padding":""}}""";
        var json = Frame.Insert(Frame.Length - 3, new string('a', 64 * 1024 - Frame.Length));

        using var response = await host.SendAsync(HttpMethod.Patch, $"/api/v2/connections/{id}", token, json);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Delete_Existing_Returns202ThenGone()
    {
        await using var host = await StartSeededAsync();
        var id = await SeededIdAsync(host);
        var token = await host.GetManagementTokenAsync();

        using var deleted = await host.SendAsync(HttpMethod.Delete, $"/api/v2/connections/{id}", token);

        deleted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        using var read = await host.SendAsync(HttpMethod.Get, $"/api/v2/connections/{id}", token);
        await read.ShouldBeAuth0ErrorAsync(HttpStatusCode.NotFound, "The connection does not exist", "inexistent_connection");
        using var again = await host.SendAsync(HttpMethod.Delete, $"/api/v2/connections/{id}", token);
        again.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.Connections.FindByNameAsync(Seeded, CancellationToken.None)).ShouldBeNull();

        // The name is free again.
        await host.CreateConnectionAsync(token, Seeded);
    }

    /// <summary>A stream whose length is unknown, so the request is sent without Content-Length.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
