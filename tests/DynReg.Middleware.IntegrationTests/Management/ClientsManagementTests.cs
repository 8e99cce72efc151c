using System.Net;
using System.Text.Json;
using DynReg.Middleware.IntegrationTests.Tokens;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Management;

/// <summary>
/// <c>/api/v2/clients</c> (C7's management view, C8): dynamic clients are third-party, secrets are
/// never shown again, only the tenant owner changes a client, and only the members it may change.
/// </summary>
public sealed class ClientsManagementTests
{
    private static string ClientPath(string id) => $"/api/v2/clients/{id}";

    [Fact]
    public async Task Get_DynamicClient_IsThirdPartyWithoutSecret()
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, secret) = await host.RegisterClientAsync();
        var token = await host.GetManagementTokenAsync();

        var text = await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, ClientPath(clientId), token);

        using var body = JsonDocument.Parse(text);
        var root = body.RootElement;
        root.GetProperty("client_id").GetString().ShouldBe(clientId);
        root.GetProperty("is_first_party").ValueKind.ShouldBe(JsonValueKind.False);
        root.GetProperty("callbacks").EnumerateArray().Select(e => e.GetString()).ShouldBe(["https://app.example.com/callback"]);
        root.TryGetProperty("client_secret", out _).ShouldBeFalse();
        text.ShouldNotContain(secret!);
    }

    [Fact]
    public async Task Get_DeclaredClient_IsFirstParty()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();

        var text = await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, ClientPath(TestHost.ManagementClientId), token);

        using var body = JsonDocument.Parse(text);
        body.RootElement.GetProperty("is_first_party").ValueKind.ShouldBe(JsonValueKind.True);
        body.RootElement.TryGetProperty("client_secret", out _).ShouldBeFalse();
        text.ShouldNotContain(TestHost.ManagementClientSecret);
    }

    [Fact]
    public async Task List_NeverShowsSecrets()
    {
        await using var host = await TestHost.StartAsync();
        var (_, secret) = await host.RegisterClientAsync();
        var token = await host.GetManagementTokenAsync();

        var text = await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v2/clients", token);

        using var body = JsonDocument.Parse(text);
        body.RootElement.GetArrayLength().ShouldBe(2);
        foreach (var client in body.RootElement.EnumerateArray())
        {
            client.TryGetProperty("client_secret", out _).ShouldBeFalse();
        }

        text.ShouldNotContain(secret!);
        text.ShouldNotContain(TestHost.ManagementClientSecret);
    }

    [Fact]
    public async Task List_PerPageAndIncludeTotals_PagesThroughEveryClientOnce()
    {
        await using var host = await TestHost.StartAsync();
        for (var i = 0; i < 7; i++)
        {
            (await host.Clients.CreateAsync(new Client
            {
                ClientId = $"paged-{i}",
                ClientSecretHash = null,
                TokenEndpointAuthMethod = "none",
                RedirectUris = ["https://app.example.com/callback"],
                IsDynamicallyRegistered = true,
                CreatedAt = DateTimeOffset.UtcNow,
            }, CancellationToken.None)).Succeeded.ShouldBeTrue();
        }

        var token = await host.GetManagementTokenAsync();
        var seen = new List<string>();
        for (var page = 0; page < 3; page++)
        {
            using var body = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get,
                $"/api/v2/clients?page={page}&per_page=3&include_totals=true", token));
            var root = body.RootElement;
            root.GetProperty("total").GetInt32().ShouldBe(8); // 7 and the management client
            root.GetProperty("start").GetInt32().ShouldBe(page * 3);
            root.GetProperty("limit").GetInt32().ShouldBe(3);
            var items = root.GetProperty("clients");
            items.GetArrayLength().ShouldBe(page < 2 ? 3 : 2);
            seen.AddRange(items.EnumerateArray().Select(c => c.GetProperty("client_id").GetString()!));
        }

        seen.ShouldBe([TestHost.ManagementClientId, .. Enumerable.Range(0, 7).Select(i => $"paged-{i}")]);
        using var plain = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v2/clients?page=1&per_page=3", token));
        plain.RootElement.ValueKind.ShouldBe(JsonValueKind.Array);
        plain.RootElement.EnumerateArray().Select(c => c.GetProperty("client_id").GetString()).ShouldBe(["paged-2", "paged-3", "paged-4"]);
    }

    // C8: the id, the secret and the party are never changed through PATCH; nothing else in the body applies either.
    [Theory]
    [InlineData("""{"client_id":"victim"}""")]
    [InlineData("""{"client_secret":"chosen-by-caller"}""")]
    [InlineData("""{"is_first_party":true}""")]
    [InlineData("""{"name":"ok","is_first_party":true}""")]
    [InlineData("""{"grant_types":["client_credentials"]}""")]
    [InlineData("""{"token_endpoint_auth_method":"none"}""")]
    [InlineData("""{"name":""}""")]
    [InlineData("""{"name":7}""")]
    [InlineData("""{"callbacks":"https://app.example.com/other"}""")]
    [InlineData("""{"callbacks":["https://app.example.com/cb#fragment"]}""")]
    [InlineData("""{"callbacks":["javascript:alert(1)"]}""")]
    [InlineData("""{"callbacks":["http://app.example.com/cb"]}""")]
    [InlineData("""{"callbacks":["/relative"]}""")]
    [InlineData("""{"logo_uri":"not a uri"}""")]
    [InlineData("[]")]
    public async Task Patch_ForbiddenOrInvalidMember_Returns400InvalidBodyAndChangesNothing(string json)
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, secret) = await host.RegisterClientAsync();
        var token = await host.GetManagementTokenAsync();
        var before = await host.Clients.FindByIdAsync(clientId, CancellationToken.None);

        using var response = await host.SendAsync(HttpMethod.Patch, ClientPath(clientId), token, json);

        await response.ShouldBeInvalidBodyAsync();
        (await host.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldBeSameAs(before);
        (await host.Clients.FindByIdAsync("victim", CancellationToken.None)).ShouldBeNull();
        secret.ShouldNotBeNull();
    }

    [Fact]
    public async Task Patch_NameThenCallbacks_MergesAndKeepsTheOthers()
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, _) = await host.RegisterClientAsync();
        var token = await host.GetManagementTokenAsync();

        await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, ClientPath(clientId), token, """{"name":"Renamed by owner"}""");
        var text = await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, ClientPath(clientId), token,
            """{"callbacks":["https://app.example.com/one","https://app.example.com/two"]}""");

        using var body = JsonDocument.Parse(text);
        var root = body.RootElement;
        root.GetProperty("client_id").GetString().ShouldBe(clientId);
        root.GetProperty("name").GetString().ShouldBe("Renamed by owner");
        root.GetProperty("callbacks").EnumerateArray().Select(e => e.GetString()).ShouldBe(["https://app.example.com/one", "https://app.example.com/two"]);
        root.GetProperty("is_first_party").GetBoolean().ShouldBeFalse();
        var stored = (await host.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldNotBeNull();
        stored.ClientName.ShouldBe("Renamed by owner");
        stored.RedirectUris.ShouldBe(["https://app.example.com/one", "https://app.example.com/two"]);
        stored.IsFirstParty.ShouldBeFalse();
    }

    [Theory]
    [InlineData("GET", null)]
    [InlineData("PATCH", """{"name":"x"}""")]
    [InlineData("DELETE", null)]
    [InlineData("POST", null)]
    public async Task UnknownId_Returns404InexistentClient(string method, string? json)
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();
        var path = method == "POST" ? "/api/v2/clients/nobody/rotate-secret" : ClientPath("nobody");

        using var response = await host.SendAsync(new HttpMethod(method), path, token, json);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            """{"statusCode":404,"error":"Not Found","message":"The client does not exist","errorCode":"inexistent_client"}""");
    }

    [Fact]
    public async Task Delete_DynamicClient_Returns204ThenGone()
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, _) = await host.RegisterClientAsync();
        var token = await host.GetManagementTokenAsync();

        using var deleted = await host.SendAsync(HttpMethod.Delete, ClientPath(clientId), token);

        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await deleted.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        using var read = await host.SendAsync(HttpMethod.Get, ClientPath(clientId), token);
        read.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldBeNull();
    }

    // The new secret is shown once, in the rotation's answer, and never again.
    [Fact]
    public async Task RotateSecret_DynamicClient_ReturnsNewSecretOnce()
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, oldSecret) = await host.RegisterClientAsync();
        var token = await host.GetManagementTokenAsync();

        var rotated = await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v2/clients/{clientId}/rotate-secret", token);
        var read = await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, ClientPath(clientId), token);

        using var body = JsonDocument.Parse(rotated);
        var newSecret = body.RootElement.GetProperty("client_secret").GetString()!;
        newSecret.ShouldNotBe(oldSecret);
        newSecret.Length.ShouldBeGreaterThanOrEqualTo(43); // 256 bits, base64url
        read.ShouldNotContain(newSecret);
        using var readBody = JsonDocument.Parse(read);
        readBody.RootElement.TryGetProperty("client_secret", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task RotateSecret_PublicClient_Returns400AndStaysPublic()
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, _) = await host.RegisterClientAsync("none");
        var token = await host.GetManagementTokenAsync();
        var before = await host.Clients.FindByIdAsync(clientId, CancellationToken.None);

        using var response = await host.SendAsync(HttpMethod.Post, $"/api/v2/clients/{clientId}/rotate-secret", token);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.TryGetProperty("client_secret", out _).ShouldBeFalse();
        body.RootElement.GetProperty("statusCode").GetInt32().ShouldBe(400);
        (await host.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldBeSameAs(before);
    }

    // C8 / RM1: the registrant has no configuration endpoint (no RFC 7592), whatever credential it shows.
    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task RegistrationConfigurationEndpoint_AnyMethod_Returns404Or405AndChangesNothing(string method)
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, secret) = await host.RegisterClientAsync();
        var before = await host.Clients.FindByIdAsync(clientId, CancellationToken.None);
        var request = new HttpRequestMessage(new HttpMethod(method), $"/oidc/register/{clientId}")
        {
            Content = method is "GET" or "DELETE" ? null : TestHost.Json($$"""{"client_id":"{{clientId}}","client_name":"hijacked","redirect_uris":["https://evil.example.com/cb"]}"""),
        };
        request.Headers.Authorization = TokenEndpoint.Basic(clientId, secret!);

        using var response = await host.Client.SendAsync(request);

        response.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(secret!);
        (await host.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldBeSameAs(before);
    }

    // C8: nor can it use its own credentials on the Management API.
    [Fact]
    public async Task ManagementApi_RegistrantCredentials_Return401()
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, secret) = await host.RegisterClientAsync();

        using var asBearer = await host.SendAsync(HttpMethod.Patch, ClientPath(clientId), secret!, """{"name":"hijacked"}""");
        var basic = new HttpRequestMessage(HttpMethod.Patch, ClientPath(clientId)) { Content = TestHost.Json("""{"name":"hijacked"}""") };
        basic.Headers.Authorization = TokenEndpoint.Basic(clientId, secret!);
        using var asBasic = await host.Client.SendAsync(basic);

        asBearer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        asBasic.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await host.Clients.FindByIdAsync(clientId, CancellationToken.None))!.ClientName.ShouldBe("Dynamic");
    }
}
