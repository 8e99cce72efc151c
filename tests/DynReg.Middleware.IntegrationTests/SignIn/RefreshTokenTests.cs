using DynReg.Middleware.Users;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>Refresh tokens for offline_access: issued only when the client may use them, rotated, reuse detected (RFC 9700 §4.14.2).</summary>
public sealed class RefreshTokenTests
{
    private const string RefreshingClient = $$"""{"client_name":"Offline App","redirect_uris":["{{RedirectUri}}"],"grant_types":["authorization_code","refresh_token"]}""";

    [Fact]
    public async Task Refresh_OfflineAccessAndGrantType_RefreshTokenIssued()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, RefreshingClient);

        var tokens = await SignInForTokensAsync(host, client, "openid offline_access");

        tokens.GetProperty("refresh_token").GetString()!.Length.ShouldBeGreaterThanOrEqualTo(32);
    }

    [Fact]
    public async Task Refresh_NoOfflineAccess_NoRefreshToken()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, RefreshingClient);

        var tokens = await SignInForTokensAsync(host, client, "openid");

        tokens.TryGetProperty("refresh_token", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Refresh_ClientWithoutRefreshGrant_NoRefreshToken()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{RedirectUri}}"],"grant_types":["authorization_code"]}""");

        var tokens = await SignInForTokensAsync(host, client, "openid offline_access");

        tokens.TryGetProperty("refresh_token", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Refresh_ClientWithoutRefreshGrant_UnauthorizedClient()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{RedirectUri}}"],"grant_types":["authorization_code"]}""");

        using var response = await RefreshAsync(host, client, "whatever");

        await ShouldBeTokenErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    // Rotation: every use gives a new refresh token, and the used one is dead.
    [Fact]
    public async Task Refresh_Used_RotatedAndOldOneRefused()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, RefreshingClient);
        var first = (await SignInForTokensAsync(host, client, "openid offline_access")).GetProperty("refresh_token").GetString()!;

        using var rotate1 = await RefreshAsync(host, client, first);
        var second = await JsonAsync(rotate1, HttpStatusCode.OK);
        var secondToken = second.GetProperty("refresh_token").GetString()!;
        using var rotate2 = await RefreshAsync(host, client, secondToken);
        var third = (await JsonAsync(rotate2, HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;

        secondToken.ShouldNotBe(first);
        third.ShouldNotBe(secondToken);
        third.ShouldNotBe(first);
        second.GetProperty("access_token").GetString().ShouldNotBeNullOrEmpty();
        second.GetProperty("id_token").GetString().ShouldNotBeNullOrEmpty();
        second.GetProperty("scope").GetString().ShouldBe("openid offline_access");
        rotate1.Headers.CacheControl!.NoStore.ShouldBeTrue();
        using var old = await RefreshAsync(host, client, secondToken);
        await ShouldBeTokenErrorAsync(old, HttpStatusCode.BadRequest, "invalid_grant");
    }

    // Reuse of a rotated-out token means it leaked: the whole family dies, the newest token too.
    [Fact]
    public async Task Refresh_OldTokenReused_NewestRevokedToo()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, RefreshingClient);
        var first = (await SignInForTokensAsync(host, client, "openid offline_access")).GetProperty("refresh_token").GetString()!;
        using var rotate = await RefreshAsync(host, client, first);
        var newest = (await JsonAsync(rotate, HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;

        using var reuse = await RefreshAsync(host, client, first);
        using var afterReuse = await RefreshAsync(host, client, newest);

        await ShouldBeTokenErrorAsync(reuse, HttpStatusCode.BadRequest, "invalid_grant");
        await ShouldBeTokenErrorAsync(afterReuse, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Refresh_OtherSignInsFamily_NotRevokedByReuse()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, RefreshingClient);
        var leaked = (await SignInForTokensAsync(host, client, "openid offline_access")).GetProperty("refresh_token").GetString()!;
        var other = (await SignInForTokensAsync(host, client, "openid offline_access")).GetProperty("refresh_token").GetString()!;
        using var rotate = await RefreshAsync(host, client, leaked);
        rotate.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var reuse = await RefreshAsync(host, client, leaked);
        using var unrelated = await RefreshAsync(host, client, other);

        reuse.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unrelated.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_AnotherClientsToken_InvalidGrant()
    {
        await using var host = await StartAsync();
        var owner = await RegisterAsync(host, RefreshingClient);
        var thief = await RegisterAsync(host, RefreshingClient);
        var token = (await SignInForTokensAsync(host, owner, "openid offline_access")).GetProperty("refresh_token").GetString()!;

        using var stolen = await RefreshAsync(host, thief, token);

        await ShouldBeTokenErrorAsync(stolen, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Refresh_WiderScope_InvalidScope()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, RefreshingClient);
        var token = (await SignInForTokensAsync(host, client, "openid email offline_access")).GetProperty("refresh_token").GetString()!;

        using var wider = await TokenAsync(host, ("grant_type", "refresh_token"), ("client_id", client.ClientId), ("client_secret", client.ClientSecret),
            ("refresh_token", token), ("scope", "openid email profile offline_access"));
        await ShouldBeTokenErrorAsync(wider, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task Refresh_NarrowerScope_AccessTokenNarrowed()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, RefreshingClient);
        var token = (await SignInForTokensAsync(host, client, "openid email offline_access")).GetProperty("refresh_token").GetString()!;

        using var narrower = await TokenAsync(host, ("grant_type", "refresh_token"), ("client_id", client.ClientId), ("client_secret", client.ClientSecret),
            ("refresh_token", token), ("scope", "openid"));

        var body = await JsonAsync(narrower, HttpStatusCode.OK);
        body.GetProperty("scope").GetString().ShouldBe("openid");
        Jwt(body.GetProperty("access_token").GetString()!).GetPayloadValue<string>("scope").ShouldBe("openid");
    }

    [Fact]
    public async Task Refresh_UnknownToken_InvalidGrant()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, RefreshingClient);

        using var response = await RefreshAsync(host, client, "not-a-refresh-token");

        await ShouldBeTokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    // A refresh token outlives the sign-in; a user blocked since then gets no more tokens.
    [Fact]
    public async Task Refresh_UserBlockedSinceSignIn_InvalidGrant()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, RefreshingClient);
        var refreshToken = (await SignInForTokensAsync(host, client, "openid offline_access")).GetProperty("refresh_token").GetString()!;

        host.Services.GetRequiredService<InMemoryUserAuthenticator>().Add(new InMemoryUser(Connection, Email, Password, "Jane Doe", Blocked: true));
        using var refused = await RefreshAsync(host, client, refreshToken);

        await ShouldBeTokenErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_grant");
    }

    private static async Task<JsonElement> SignInForTokensAsync(Testing.TestHost host, RegisteredClient client, string scope)
    {
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId, scope: scope));
        using var response = await RedeemAsync(host, client, code);
        return await JsonAsync(response, HttpStatusCode.OK);
    }
}
