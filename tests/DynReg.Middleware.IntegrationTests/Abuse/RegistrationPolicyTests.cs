using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using DynReg.Middleware.IntegrationTests.Registration;
using DynReg.Middleware.IntegrationTests.SignIn;
using DynReg.Middleware.Registration;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DynReg.Middleware.IntegrationTests.Abuse;

/// <summary>
/// Host policies (SPEC §2): run on every registration after validation and before storing; a
/// refusal is RFC 7591 JSON and stores nothing. Built in: trusted hosts, a scope allow-list, and
/// new clients disabled until the tenant owner enables them.
/// </summary>
public sealed class RegistrationPolicyTests
{
    [Fact]
    public async Task CustomPolicy_SeesRequestCallerAndValidatedMetadata()
    {
        var seen = new ConcurrentBag<(string? UserAgent, string? Caller, ValidatedClientMetadata Metadata)>();
        await using var host = await TestHost.StartAsync(
            build: b => b.AddRegistrationPolicy<RecordingPolicy>(),
            services: s => s.AddSingleton(seen),
            map: CallerAddress.Use);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oidc/register")
        {
            Content = TestHost.Json("""{"client_name":"Seen","redirect_uris":["https://app.example.com/cb"],"scope":"openid  openid profile"}"""),
        };
        request.Headers.Add(CallerAddress.Header, "203.0.113.50");
        request.Headers.UserAgent.ParseAdd("policy-test/1.0");

        using var response = await host.Client.SendAsync(request);

        var body = await response.ShouldBeCreatedAsync();
        body.GetProperty("scope").GetString().ShouldBe("openid profile");
        var (userAgent, caller, metadata) = seen.Single();
        userAgent.ShouldBe("policy-test/1.0");
        caller.ShouldBe("203.0.113.50");
        metadata.ClientName.ShouldBe("Seen");
        metadata.TokenEndpointAuthMethod.ShouldBe("client_secret_post");
        metadata.GrantTypes.ShouldBe(["authorization_code", "implicit"]);
        metadata.Scope.ShouldBe("openid profile");
    }

    [Fact]
    public async Task CustomPolicy_InvalidMetadata_NeverAsked()
    {
        var seen = new ConcurrentBag<(string?, string?, ValidatedClientMetadata)>();
        await using var host = await TestHost.StartAsync(build: b => b.AddRegistrationPolicy<RecordingPolicy>(), services: s => s.AddSingleton(seen));

        using var response = await host.RegisterAsync("""{"redirect_uris":["javascript:alert(1)"]}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        seen.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("invalid_redirect_uri", HttpStatusCode.BadRequest)]
    [InlineData("invalid_client_metadata", HttpStatusCode.BadRequest)]
    [InlineData("access_denied", HttpStatusCode.Forbidden)]
    public async Task CustomPolicy_Refuses_Rfc7591ErrorAndNothingStored(string error, HttpStatusCode status)
    {
        await using var host = await TestHost.StartAsync(
            build: b => b.AddRegistrationPolicy<RefusingPolicy>().AddRegistrationPolicy<RecordingPolicy>(),
            services: s => s.AddSingleton(new RefusingPolicy.Error(error)).AddSingleton(new ConcurrentBag<(string?, string?, ValidatedClientMetadata)>()));

        using var response = await host.RegisterAsync(RegistrationWire.MinimalRequest);

        response.StatusCode.ShouldBe(status);
        response.ShouldBeNoStoreJson();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["error", "error_description"]);
        body.RootElement.GetProperty("error").GetString().ShouldBe(error);
        body.RootElement.GetProperty("error_description").GetString().ShouldBe("refused by the test policy");
        (await host.CountClientsAsync()).ShouldBe(0);

        // The first refusal wins: the policy after it never ran.
        host.Services.GetRequiredService<ConcurrentBag<(string?, string?, ValidatedClientMetadata)>>().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("203.0.113.9", "https://app.example.com/cb", HttpStatusCode.Created, null)]
    [InlineData("198.51.100.77", "https://app.example.com/cb", HttpStatusCode.Created, null)]
    [InlineData("203.0.113.9", "https://deep.sub.partner.example/cb", HttpStatusCode.Created, null)]
    [InlineData("203.0.113.9", "https://partner.example/cb", HttpStatusCode.BadRequest, "invalid_redirect_uri")]
    [InlineData("203.0.113.9", "https://evil.example.net/cb", HttpStatusCode.BadRequest, "invalid_redirect_uri")]
    [InlineData("203.0.113.9", "https://app.example.com.evil.example/cb", HttpStatusCode.BadRequest, "invalid_redirect_uri")]
    [InlineData("203.0.113.9", "com.example.app:/cb", HttpStatusCode.BadRequest, "invalid_redirect_uri")]
    [InlineData("192.0.2.1", "https://app.example.com/cb", HttpStatusCode.Forbidden, "access_denied")]
    [InlineData("2001:db8::1", "https://app.example.com/cb", HttpStatusCode.Forbidden, "access_denied")]
    public async Task TrustedHosts_CallerAndRedirectUri_BothMustMatch(string caller, string redirectUri, HttpStatusCode status, string? error)
    {
        await using var host = await TestHost.StartAsync(
            build: b => b.AddTrustedHostsPolicy(o => o.TrustedHosts = ["app.example.com", "*.partner.example", "203.0.113.9", "198.51.100.0/24"]),
            map: CallerAddress.Use);
        var applicationType = redirectUri.StartsWith("https", StringComparison.Ordinal) ? "web" : "native";

        using var response = await host.RegisterFromAsync(caller, $$"""{"application_type":"{{applicationType}}","redirect_uris":["{{redirectUri}}"]}""");

        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        if (error is not null)
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            body.RootElement.GetProperty("error").GetString().ShouldBe(error);
            (await host.CountClientsAsync()).ShouldBe(0);
        }
    }

    [Fact]
    public async Task TrustedHosts_LogoOnAnUntrustedHost_InvalidClientMetadata()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddTrustedHostsPolicy(o => { o.TrustedHosts = ["app.example.com"]; o.CallerMustMatch = false; }));

        using var response = await host.RegisterAsync("""{"redirect_uris":["https://app.example.com/cb"],"logo_uri":"https://tracker.example.net/logo.png"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("error").GetString().ShouldBe("invalid_client_metadata");
    }

    [Fact]
    public async Task TrustedHosts_CallerMatchedByForwardDnsOfATrustedName_Created()
    {
        await using var host = await TestHost.StartAsync(
            build: b => b.AddTrustedHostsPolicy(o => { o.TrustedHosts = ["localhost"]; o.UrisMustMatch = false; }),
            map: CallerAddress.Use);

        (await host.RegisterFromAsync("127.0.0.1")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await host.RegisterFromAsync("203.0.113.1")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TrustedHosts_NoCallerAddress_Refused()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddTrustedHostsPolicy(o => o.TrustedHosts = ["app.example.com"]));

        using var response = await host.RegisterAsync(RegistrationWire.MinimalRequest);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("\"openid read:appointments\"", HttpStatusCode.Created)]
    [InlineData("\"openid write:appointments\"", HttpStatusCode.BadRequest)]
    [InlineData("\"\"", HttpStatusCode.Created)] // "scope": "" is no scope (MCP clients send it)
    [InlineData("\"openid\\tprofile\"", HttpStatusCode.BadRequest)]
    [InlineData("[\"openid\"]", HttpStatusCode.BadRequest)]
    public async Task ScopeAllowList_RegisteredScope_OnlyAllowedValues(string scopeJson, HttpStatusCode status)
    {
        await using var host = await SignInKit.StartAsync(build: b => b.AddScopeAllowListPolicy("openid", "profile", "read:appointments"));

        using var response = await host.RegisterAsync($$"""{"redirect_uris":["{{SignInKit.RedirectUri}}"],"scope":{{scopeJson}}}""");

        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        if (status != HttpStatusCode.Created)
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            body.RootElement.GetProperty("error").GetString().ShouldBe("invalid_client_metadata");
            (await host.CountClientsAsync()).ShouldBe(0);
        }
    }

    [Fact]
    public async Task ScopeAllowList_NoScopeSent_RegisteredWithTheListAndAuthorizeEnforcesIt()
    {
        await using var host = await SignInKit.StartAsync(build: b => b.AddScopeAllowListPolicy("openid", "profile", "read:appointments"));
        using var registered = await host.RegisterAsync($$"""{"redirect_uris":["{{SignInKit.RedirectUri}}"]}""");
        var body = await registered.ShouldBeCreatedAsync();
        body.GetProperty("scope").GetString().ShouldBe("openid profile read:appointments");
        var clientId = body.GetProperty("client_id").GetString()!;
        using var browser = host.NewBrowser();

        using var outside = await browser.GetAsync(SignInKit.Implicit(clientId, scope: "openid email", extra: [("audience", SignInKit.Api)]));
        SignInKit.ShouldBeErrorRedirect(outside, "invalid_scope", fragment: true);

        using var inside = await browser.GetAsync(SignInKit.Implicit(clientId, scope: "openid read:appointments", extra: [("audience", SignInKit.Api)]));
        inside.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task NewClientsDisabled_RefusedEverywhereUntilTheOwnerEnablesIt()
    {
        await using var host = await SignInKit.StartAsync(build: b => b.AddNewClientsDisabledPolicy());
        var client = await SignInKit.RegisterAsync(host);
        (await host.Clients.FindByIdAsync(client.ClientId, CancellationToken.None))!.IsDisabled.ShouldBeTrue();
        using var browser = host.NewBrowser();

        using (var authorize = await browser.GetAsync(SignInKit.Implicit(client.ClientId)))
        {
            await SignInKit.ShouldBeErrorPageAsync(authorize, "unauthorized_client");
        }

        using (var token = await SignInKit.RedeemAsync(host, client, "any-code"))
        {
            await SignInKit.ShouldBeTokenErrorAsync(token, HttpStatusCode.Unauthorized, "invalid_client");
        }

        var management = await host.GetManagementTokenAsync();
        using (var shown = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, $"/api/v2/clients/{client.ClientId}", management)))
        {
            using var json = JsonDocument.Parse(await shown.Content.ReadAsStringAsync());
            json.RootElement.GetProperty("is_disabled").GetBoolean().ShouldBeTrue();
        }

        using (var wrongType = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, $"/api/v2/clients/{client.ClientId}", management, TestHost.Json("""{"is_disabled":"no"}"""))))
        {
            wrongType.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        using (var enabled = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, $"/api/v2/clients/{client.ClientId}", management, TestHost.Json("""{"is_disabled":false}"""))))
        {
            enabled.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var json = JsonDocument.Parse(await enabled.Content.ReadAsStringAsync());
            json.RootElement.GetProperty("is_disabled").GetBoolean().ShouldBeFalse();
        }

        var location = await SignInKit.SignInAsync(browser, SignInKit.Implicit(client.ClientId));
        Browser.ResponseParameters(location, fragment: true).ShouldContainKey("access_token");
    }

    [Fact]
    public async Task ClientDisabledDuringSignIn_NothingIssued()
    {
        await using var host = await SignInKit.StartAsync();
        var client = await SignInKit.RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await SignInKit.OpenLoginPageAsync(browser, SignInKit.Implicit(client.ClientId));
        await host.Clients.UpdateAsync(client.ClientId, c => c with { IsDisabled = true }, CancellationToken.None);

        using var login = await browser.PostCredentialsAsync(config, SignInKit.Email, SignInKit.Password);
        using var callback = await browser.SubmitFormAsync(await login.Content.ReadAsStringAsync());
        var answer = callback.StatusCode == HttpStatusCode.OK && (await callback.Content.ReadAsStringAsync()).Contains("decision", StringComparison.Ordinal)
            ? await browser.SubmitFormAsync(await callback.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["decision"] = "accept" })
            : callback;

        await SignInKit.ShouldBeErrorPageAsync(answer, "unauthorized_client");
    }

    private sealed class RecordingPolicy(ConcurrentBag<(string?, string?, ValidatedClientMetadata)> seen) : IRegistrationPolicy
    {
        public ValueTask<RegistrationPolicyResult> EvaluateAsync(RegistrationPolicyContext context, CancellationToken cancellationToken)
        {
            seen.Add((context.HttpContext.Request.Headers.UserAgent.ToString(), context.RemoteIpAddress?.ToString(), context.Metadata));
            return ValueTask.FromResult(RegistrationPolicyResult.Allow);
        }
    }

    private sealed class RefusingPolicy(RefusingPolicy.Error error) : IRegistrationPolicy
    {
        public ValueTask<RegistrationPolicyResult> EvaluateAsync(RegistrationPolicyContext context, CancellationToken cancellationToken)
            => ValueTask.FromResult(RegistrationPolicyResult.Reject(error.Code, "refused by the test policy"));

        public sealed record Error(string Code);
    }
}
