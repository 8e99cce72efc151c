using System.Net;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>Lifetimes of the sign-in's short-lived state, on a fake clock: transaction, ticket, session, refresh token, login limit window.</summary>
public sealed class ExpiryTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task CredentialPost_TransactionOlderThan30Minutes_SessionMissing()
    {
        await using var host = await StartOnClockAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));

        _clock.Advance(TimeSpan.FromMinutes(31));
        using var response = await browser.PostCredentialsAsync(config, Email, Password);

        (await JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("code").GetString().ShouldBe("session_missing");
    }

    [Fact]
    public async Task LoginCallback_TicketOlderThan5Minutes_ErrorPage()
    {
        await using var host = await StartOnClockAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));
        using var login = await browser.PostCredentialsAsync(config, Email, Password);

        _clock.Advance(TimeSpan.FromMinutes(6));
        using var callback = await browser.SubmitFormAsync(await login.Content.ReadAsStringAsync());

        await ShouldBeErrorPageAsync(callback, "invalid_request");
    }

    [Fact]
    public async Task Session_OlderThanSessionLifetime_LoginRequired()
    {
        await using var host = await StartOnClockAsync(o => o.SessionLifetime = TimeSpan.FromHours(1));
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        await SignInAsync(browser, Implicit(client.ClientId));

        _clock.Advance(TimeSpan.FromMinutes(59));
        using var fresh = await browser.GetAsync(Implicit(client.ClientId, extra: ("prompt", "none")));
        _clock.Advance(TimeSpan.FromMinutes(2));
        using var stale = await browser.GetAsync(Implicit(client.ClientId, state: "xyz", extra: ("prompt", "none")));

        fresh.StatusCode.ShouldBe(HttpStatusCode.Found);
        Browser.ResponseParameters(fresh.Headers.Location!, fragment: true).ShouldContainKey("access_token");
        ShouldBeErrorRedirect(stale, "login_required", fragment: true)["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task Refresh_OlderThanRefreshLifetime_InvalidGrant()
    {
        await using var host = await StartOnClockAsync(o => o.RefreshTokenLifetime = TimeSpan.FromDays(1));
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{RedirectUri}}"],"grant_types":["authorization_code","refresh_token"]}""");
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId, scope: "openid offline_access"));
        using var tokens = await RedeemAsync(host, client, code);
        var refreshToken = (await JsonAsync(tokens, HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;

        _clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        using var response = await RefreshAsync(host, client, refreshToken);

        await ShouldBeTokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task CredentialPost_LimitWindowOver_AllowedAgain()
    {
        await using var host = await StartOnClockAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));
        for (var i = 0; i < 10; i++)
        {
            using var failed = await browser.PostCredentialsAsync(config, Email, "wrong");
        }

        using var limited = await browser.PostCredentialsAsync(config, Email, Password);
        _clock.Advance(TimeSpan.FromMinutes(16));
        var freshConfig = await OpenLoginPageAsync(browser, Implicit(client.ClientId));
        using var allowed = await browser.PostCredentialsAsync(freshConfig, Email, Password);

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ManagementToken_HostClockFarFromTheSystemClock_ValidUntilItsOwnExpiry()
    {
        // The host's clock is more than a year behind the machine's: a token issued on it must be
        // valid on it, and expire on it, whatever day the test runs.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-400));
        await using var host = await StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var token = await host.GetManagementTokenAsync();

        using var fresh = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/api/v2/clients", token));
        clock.Advance(TimeSpan.FromDays(2));
        using var expired = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/api/v2/clients", token));

        fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await expired.Content.ReadAsStringAsync()).ShouldContain("Expired token");
    }

    [Fact]
    public async Task UserInfo_HostClockFarFromTheSystemClock_ValidUntilItsOwnExpiry()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-400));
        await using var host = await StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var redirect = await SignInAsync(browser, Implicit(client.ClientId));
        var accessToken = Browser.ResponseParameters(redirect, fragment: true)["access_token"];

        using var fresh = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/userinfo", accessToken));
        clock.Advance(TimeSpan.FromDays(2));
        using var expired = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/userinfo", accessToken));

        fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private Task<TestHost> StartOnClockAsync(Action<DynamicRegistrationOptions>? configure = null)
        => StartAsync(services: s => s.AddSingleton<TimeProvider>(_clock), configure: configure);
}
