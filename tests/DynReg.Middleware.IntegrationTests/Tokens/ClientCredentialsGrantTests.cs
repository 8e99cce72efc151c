using System.Net;
using DynReg.Middleware.Management;
using DynReg.Middleware.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DynReg.Middleware.IntegrationTests.Tokens;

/// <summary>
/// RFC 6749 §4.4 with Auth0's client grants: who may use client_credentials (T7, T8, T18), for which
/// audience and which scopes.
/// </summary>
public sealed class ClientCredentialsGrantTests
{
    private const string AppointmentsApi = "https://appointments.example.com/";
    private const string OtherApi = "https://other.example.com/";

    private static Task<TestHost> StartWithApisAsync() => TestHost.StartAsync(build: b => b
        .AddApi(AppointmentsApi, "read:appointments", "write:appointments")
        .AddApi(OtherApi, "read:other")
        .AddMachineToMachineClient("m2m", "m2m-secret-long-enough", AppointmentsApi, "read:appointments"));

    private static (string, string)[] M2M(params (string, string)[] extra) =>
        [("grant_type", "client_credentials"), ("client_id", "m2m"), ("client_secret", "m2m-secret-long-enough"), .. extra];

    private static string ScopeOf(string token) => new JsonWebToken(token).GetPayloadValue<string>("scope");

    // T7: a dynamically registered client never gets client_credentials.
    [Fact]
    public async Task ClientCredentials_DynamicClient_Returns400UnauthorizedClient()
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, secret) = await host.RegisterClientAsync();

        using var response = await host.PostFormAsync(
            ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret!), ("audience", TestHost.ManagementAudience));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "unauthorized_client");
    }

    // T7 ("never"): even a dynamic client whose stored record somehow lists the grant and a client grant.
    [Fact]
    public async Task ClientCredentials_DynamicClientWhoseRecordListsTheGrant_Returns400UnauthorizedClient()
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, secret) = await host.RegisterClientAsync();
        (await host.Clients.UpdateAsync(clientId, c => c with
        {
            GrantTypes = [.. c.GrantTypes, "client_credentials"],
            ClientGrants = [new Stores.Models.ClientGrant(TestHost.ManagementAudience, [.. ManagementApi.AllScopes])],
        }, CancellationToken.None)).Succeeded.ShouldBeTrue();

        using var response = await host.PostFormAsync(
            ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret!), ("audience", TestHost.ManagementAudience));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "unauthorized_client");
    }

    // T8: a public client (token_endpoint_auth_method none) cannot use a confidential-client grant.
    [Fact]
    public async Task ClientCredentials_PublicClient_Returns400UnauthorizedClient()
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, secret) = await host.RegisterClientAsync("none");
        secret.ShouldBeNull();

        using var response = await host.PostFormAsync(
            ("grant_type", "client_credentials"), ("client_id", clientId), ("audience", TestHost.ManagementAudience));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "unauthorized_client");
    }

    // A public client cannot make itself confidential by sending a made-up secret.
    [Fact]
    public async Task ClientCredentials_PublicClientWithInventedSecret_Returns401InvalidClient()
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, _) = await host.RegisterClientAsync("none");

        using var response = await host.PostFormAsync(
            ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", "invented"), ("audience", TestHost.ManagementAudience));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task ClientCredentials_MissingAudience_Returns400InvalidRequest(string? audience)
    {
        await using var host = await StartWithApisAsync();

        using var response = await host.PostFormAsync(audience is null ? M2M() : M2M(("audience", audience)));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("https://unknown.example.com/")]
    [InlineData("https://appointments.example.com")] // identifiers compare exactly: no trailing-slash leniency
    [InlineData("HTTPS://APPOINTMENTS.EXAMPLE.COM/")]
    public async Task ClientCredentials_UnknownAudience_Returns403ServiceNotFound(string audience)
    {
        await using var host = await StartWithApisAsync();

        using var response = await host.PostFormAsync(M2M(("audience", audience)));

        var description = await response.ShouldBeOAuthErrorAsync(HttpStatusCode.Forbidden, "access_denied");
        description.ShouldBe($"Service not found: {audience}");
    }

    // Auth0: an API the client has no client grant for.
    [Fact]
    public async Task ClientCredentials_AudienceWithoutGrant_Returns403AccessDenied()
    {
        await using var host = await StartWithApisAsync();

        using var other = await host.PostFormAsync(M2M(("audience", OtherApi)));
        using var management = await host.PostFormAsync(M2M(("audience", TestHost.ManagementAudience)));

        var description = await other.ShouldBeOAuthErrorAsync(HttpStatusCode.Forbidden, "access_denied");
        description.ShouldBe($"Client is not authorized to access \"{OtherApi}\". You need to create a \"client-grant\" associated to this API.");
        await management.ShouldBeOAuthErrorAsync(HttpStatusCode.Forbidden, "access_denied");
    }

    [Fact]
    public async Task ClientCredentials_NoScope_GetsEveryGrantedScope()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormAsync(TokenEndpoint.ManagementClientPost());

        var token = await response.ShouldBeTokenAsync();
        ScopeOf(token).Split(' ').ShouldBe(
            [
                "read:tenant_settings", "update:tenant_settings",
                "read:connections", "create:connections", "update:connections", "delete:connections",
                "read:clients", "update:clients", "delete:clients", "update:client_keys",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public async Task ClientCredentials_NarrowerScope_GetsExactlyThatScope()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PostFormAsync(TokenEndpoint.ManagementClientPost(("scope", "read:clients  update:tenant_settings")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = await response.ReadJsonAsync();
        body.RootElement.GetProperty("scope").GetString()!.Split(' ').ShouldBe(["read:clients", "update:tenant_settings"], ignoreOrder: true);
        ScopeOf(body.RootElement.GetProperty("access_token").GetString()!).Split(' ')
            .ShouldBe(["read:clients", "update:tenant_settings"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("read:clients delete:everything")]
    [InlineData("READ:CLIENTS")]
    [InlineData("write:appointments")] // a scope of another API
    public async Task ClientCredentials_ScopeOutsideTheManagementGrant_Returns400InvalidScope(string scope)
    {
        await using var host = await StartWithApisAsync();

        using var response = await host.PostFormAsync(TokenEndpoint.ManagementClientPost(("scope", scope)));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
    }

    // A scope the API defines but the client grant does not give.
    [Fact]
    public async Task ClientCredentials_ScopeOfTheApiButNotGranted_Returns400InvalidScope()
    {
        await using var host = await StartWithApisAsync();

        using var wider = await host.PostFormAsync(M2M(("audience", AppointmentsApi), ("scope", "read:appointments write:appointments")));
        using var granted = await host.PostFormAsync(M2M(("audience", AppointmentsApi), ("scope", "read:appointments")));

        await wider.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
        ScopeOf(await granted.ShouldBeTokenAsync()).ShouldBe("read:appointments");
    }

    // A token for the host's own API is not a Management API token.
    [Fact]
    public async Task ClientCredentials_TokenForAnotherApi_IsRefusedByManagementApi()
    {
        await using var host = await StartWithApisAsync();
        using var issued = await host.PostFormAsync(M2M(("audience", AppointmentsApi)));
        var token = await issued.ShouldBeTokenAsync();

        using var response = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/api/v2/tenants/settings", token));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    // T18, issue 3 item 4: a deleted client can no longer obtain tokens.
    [Fact]
    public async Task ClientCredentials_ClientDeletedThroughManagementApi_Returns401InvalidClient()
    {
        await using var host = await StartWithApisAsync();
        using (var before = await host.PostFormAsync(M2M(("audience", AppointmentsApi))))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var admin = await host.GetManagementTokenAsync(ManagementApi.DeleteClients);
        using (var deleted = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Delete, "/api/v2/clients/m2m", admin)))
        {
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var post = await host.PostFormAsync(M2M(("audience", AppointmentsApi)));
        using var basic = await host.PostFormWithBasicAsync("m2m", "m2m-secret-long-enough", ("grant_type", "client_credentials"), ("audience", AppointmentsApi));
        await post.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        await basic.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task ClientCredentials_AfterRotateSecret_OldSecretFailsNewSecretWorks()
    {
        await using var host = await StartWithApisAsync();
        var admin = await host.GetManagementTokenAsync(ManagementApi.UpdateClientKeys);

        string newSecret;
        using (var rotated = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Post, "/api/v2/clients/m2m/rotate-secret", admin)))
        {
            rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var body = await rotated.ReadJsonAsync();
            body.RootElement.GetProperty("client_id").GetString().ShouldBe("m2m");
            newSecret = body.RootElement.GetProperty("client_secret").GetString()!;
        }

        newSecret.ShouldNotBe("m2m-secret-long-enough");
        using var old = await host.PostFormAsync(M2M(("audience", AppointmentsApi)));
        await old.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        using var renewed = await host.PostFormAsync(
            ("grant_type", "client_credentials"), ("client_id", "m2m"), ("client_secret", newSecret), ("audience", AppointmentsApi));
        (await renewed.ShouldBeTokenAsync()).ShouldNotBeNullOrEmpty();
        using var renewedBasic = await host.PostFormWithBasicAsync("m2m", newSecret, ("grant_type", "client_credentials"), ("audience", AppointmentsApi));
        (await renewedBasic.ShouldBeTokenAsync()).ShouldNotBeNullOrEmpty();
    }
    // RFC 8707 §2: resource names the API as audience does; Auth0's audience wins when both are sent.
    [Fact]
    public async Task ClientCredentials_Resource_TokenForThatApi()
    {
        await using var host = await StartWithApisAsync();

        using var response = await host.PostFormAsync(M2M(("resource", AppointmentsApi)));

        new JsonWebToken(await response.ShouldBeTokenAsync()).Audiences.ShouldBe([AppointmentsApi]);
    }

    [Fact]
    public async Task ClientCredentials_AudienceAndResourceDiffer_AudienceWins()
    {
        await using var host = await StartWithApisAsync();

        using var response = await host.PostFormAsync(M2M(("audience", AppointmentsApi), ("resource", OtherApi)));

        new JsonWebToken(await response.ShouldBeTokenAsync()).Audiences.ShouldBe([AppointmentsApi]);
    }

    [Theory]
    [InlineData("https://unregistered.example.com/")]
    [InlineData("https://appointments.example.com/#fragment")]
    [InlineData("appointments")]
    public async Task ClientCredentials_BadResource_Returns400InvalidTarget(string resource)
    {
        await using var host = await StartWithApisAsync();

        using var response = await host.PostFormAsync(M2M(("resource", resource)));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task ClientCredentials_TwoResources_Returns400InvalidTarget()
    {
        await using var host = await StartWithApisAsync();

        using var response = await host.PostFormAsync(M2M(("resource", AppointmentsApi), ("resource", OtherApi)));

        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_target");
    }
}
