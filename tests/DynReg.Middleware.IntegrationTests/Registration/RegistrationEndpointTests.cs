using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DynReg.Middleware.IntegrationTests.Registration.RegistrationWire;

namespace DynReg.Middleware.IntegrationTests.Registration;

/// <summary><c>POST /oidc/register</c> over real HTTP, one test per CHECKLIST row R1-R34 that applies.</summary>
public sealed partial class RegistrationEndpointTests
{
    private const string SeedRequest = """
        {"client_name":"My Dynamic Client","redirect_uris":["https://application.example.com/callback","https://application.example.com/callback2"]}
        """;

    // R1, R2, R8: the seed document's request (Auth0 guide).
    [Fact]
    public async Task Register_SeedRequest_Returns201WithEveryRegisteredMember()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(SeedRequest);

        var body = await response.ShouldBeCreatedAsync();
        body.Names().ShouldBe(
            ["client_id", "client_secret", "client_id_issued_at", "client_secret_expires_at", "client_name", "redirect_uris",
             "token_endpoint_auth_method", "grant_types", "response_types", "application_type"],
            ignoreOrder: true);
        body.GetProperty("client_name").GetString().ShouldBe("My Dynamic Client");
        body.Strings("redirect_uris").ShouldBe(["https://application.example.com/callback", "https://application.example.com/callback2"]);
        body.GetProperty("token_endpoint_auth_method").GetString().ShouldBe("client_secret_post");
        body.Strings("grant_types").ShouldBe(["authorization_code", "implicit"]);
        body.Strings("response_types").ShouldBe(["code", "token", "id_token token", "id_token"]);
        body.GetProperty("application_type").GetString().ShouldBe("web");
        body.GetProperty("client_secret_expires_at").ValueKind.ShouldBe(JsonValueKind.Number);
        body.GetProperty("client_secret_expires_at").GetInt64().ShouldBe(0);
        (await host.CountClientsAsync()).ShouldBe(1);
    }

    // R8: all optional metadata echoed; client_id_issued_at from the host's clock.
    [Fact]
    public async Task Register_FullMetadata_EchoedWithIssueTime()
    {
        var now = new DateTimeOffset(2026, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);
        await using var host = await TestHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(new FixedTimeProvider(now)));

        using var response = await host.RegisterAsync("""
            {
              "client_name": "Appointments",
              "redirect_uris": ["com.example.appointments:/oauth2redirect", "http://127.0.0.1:8400/cb"],
              "application_type": "native",
              "token_endpoint_auth_method": "none",
              "grant_types": ["authorization_code", "refresh_token"],
              "response_types": ["code"],
              "client_uri": "https://appointments.example.com/",
              "logo_uri": "https://appointments.example.com/logo.png",
              "policy_uri": "https://appointments.example.com/privacy",
              "tos_uri": "https://appointments.example.com/terms",
              "contacts": ["dev@appointments.example.com"]
            }
            """);

        var body = await response.ShouldBeCreatedAsync();
        body.GetProperty("client_id_issued_at").GetInt64().ShouldBe(now.ToUnixTimeSeconds());
        body.GetProperty("client_name").GetString().ShouldBe("Appointments");
        body.Strings("redirect_uris").ShouldBe(["com.example.appointments:/oauth2redirect", "http://127.0.0.1:8400/cb"]);
        body.GetProperty("application_type").GetString().ShouldBe("native");
        body.GetProperty("token_endpoint_auth_method").GetString().ShouldBe("none");
        body.Strings("grant_types").ShouldBe(["authorization_code", "refresh_token"]);
        body.Strings("response_types").ShouldBe(["code"]);
        body.GetProperty("client_uri").GetString().ShouldBe("https://appointments.example.com/");
        body.GetProperty("logo_uri").GetString().ShouldBe("https://appointments.example.com/logo.png");
        body.GetProperty("policy_uri").GetString().ShouldBe("https://appointments.example.com/privacy");
        body.GetProperty("tos_uri").GetString().ShouldBe("https://appointments.example.com/terms");
        body.Strings("contacts").ShouldBe(["dev@appointments.example.com"]);
    }

    // R3, R7: ids and secrets differ; id 32 URL-safe characters, secret ≥ 256 bits (SPEC §4).
    [Fact]
    public async Task Register_TwoClients_DifferentIdsAndHighEntropySecrets()
    {
        await using var host = await TestHost.StartAsync();

        using var first = await host.RegisterAsync(MinimalRequest);
        using var second = await host.RegisterAsync(MinimalRequest);

        var a = await first.ShouldBeCreatedAsync();
        var b = await second.ShouldBeCreatedAsync();
        var ids = new[] { a.GetProperty("client_id").GetString()!, b.GetProperty("client_id").GetString()! };
        var secrets = new[] { a.GetProperty("client_secret").GetString()!, b.GetProperty("client_secret").GetString()! };
        ids[0].ShouldNotBe(ids[1]);
        secrets[0].ShouldNotBe(secrets[1]);
        ids.ShouldAllBe(id => PermissiveClientId().IsMatch(id));
        secrets.ShouldAllBe(secret => secret.Length >= 43 && Base64Url().IsMatch(secret));
        (await host.CountClientsAsync()).ShouldBe(2);
    }

    // SPEC §4 strict: tpc_ + 32, only authorization_code and refresh_token.
    [Fact]
    public async Task Register_StrictMode_TpcPrefixedIdAndCodeFlowOnly()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.SecurityMode = DynamicClientRegistrationSecurityMode.Strict);

        using var response = await host.RegisterAsync(MinimalRequest);

        var body = await response.ShouldBeCreatedAsync();
        StrictClientId().IsMatch(body.GetProperty("client_id").GetString()!).ShouldBeTrue(body.GetProperty("client_id").GetString());
        body.Strings("grant_types").ShouldBe(["authorization_code", "refresh_token"]);
        body.Strings("response_types").ShouldBe(["code"]);
        var stored = await host.Clients.FindByIdAsync(body.GetProperty("client_id").GetString()!, CancellationToken.None);
        stored.ShouldNotBeNull().RegistrationSecurityMode.ShouldBe(DynamicClientRegistrationSecurityMode.Strict);
    }

    [Theory]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"grant_types":["implicit"],"response_types":["token"]}""")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"response_types":["id_token token"]}""")]
    public async Task Register_StrictModeImplicit_Returns400InvalidClientMetadata(string json)
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.SecurityMode = DynamicClientRegistrationSecurityMode.Strict);

        using var response = await host.RegisterAsync(json);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // R4: RFC 7591 §6, RFC 9700 §4.15.1: the caller never picks its id or secret.
    [Fact]
    public async Task Register_CallerSuppliesClientIdAndSecret_BothIgnored()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(WithMembers(""" "client_id":"victim","client_secret":"x" """));

        var body = await response.ShouldBeCreatedAsync();
        var clientId = body.GetProperty("client_id").GetString()!;
        clientId.ShouldNotBe("victim");
        body.GetProperty("client_secret").GetString().ShouldNotBe("x");
        (await host.Clients.FindByIdAsync("victim", CancellationToken.None)).ShouldBeNull();
        var stored = (await host.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldNotBeNull();
        ClientSecrets.Verify("x", stored.ClientSecretHash).ShouldBeFalse();
        (await host.CountClientsAsync()).ShouldBe(1);
    }

    // R5: a secret, and client_secret_expires_at 0 (never), for every secret-based method.
    [Theory]
    [InlineData("", "client_secret_post")]
    [InlineData(""","token_endpoint_auth_method":"client_secret_post" """, "client_secret_post")]
    [InlineData(""","token_endpoint_auth_method":"client_secret_basic" """, "client_secret_basic")]
    public async Task Register_SecretBasedAuthMethod_SecretThatNeverExpires(string member, string expectedMethod)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync($$"""{"redirect_uris":["{{RedirectUri}}"]{{member}}}""");

        var body = await response.ShouldBeCreatedAsync();
        body.GetProperty("token_endpoint_auth_method").GetString().ShouldBe(expectedMethod);
        body.GetProperty("client_secret").GetString().ShouldNotBeNullOrEmpty();
        body.GetProperty("client_secret_expires_at").GetInt64().ShouldBe(0);
    }

    // R6: a public client gets no secret (RFC 7591 §2; Auth0).
    [Fact]
    public async Task Register_AuthMethodNone_NoSecret()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(WithMembers(""" "token_endpoint_auth_method":"none" """));

        var body = await response.ShouldBeCreatedAsync();
        body.GetProperty("token_endpoint_auth_method").GetString().ShouldBe("none");
        body.TryGetProperty("client_secret", out _).ShouldBeFalse();
        body.TryGetProperty("client_secret_expires_at", out _).ShouldBeFalse();
        var stored = await host.Clients.FindByIdAsync(body.GetProperty("client_id").GetString()!, CancellationToken.None);
        stored.ShouldNotBeNull().ClientSecretHash.ShouldBeNull();
    }

    // SPEC §4: third-party, secret only as a hash, redirect URIs verbatim (R10), durable before 201.
    [Fact]
    public async Task Register_Created_StoredAsThirdPartyWithOnlyASecretHash()
    {
        const string OddButValid = "HTTPS://App.Example.COM:443/cb/./x/../y?b=2&a=1&c=%7e";
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync($$"""{"client_name":"Stored","redirect_uris":["{{OddButValid}}","{{RedirectUri}}"]}""");

        var body = await response.ShouldBeCreatedAsync();
        body.Strings("redirect_uris").ShouldBe([OddButValid, RedirectUri]);
        var secret = body.GetProperty("client_secret").GetString()!;
        var stored = (await host.Clients.FindByIdAsync(body.GetProperty("client_id").GetString()!, CancellationToken.None)).ShouldNotBeNull();
        stored.ClientSecretHash.ShouldNotBeNull();
        stored.ClientSecretHash.ShouldStartWith("sha256:");
        stored.ClientSecretHash.ShouldNotContain(secret);
        ClientSecrets.Verify(secret, stored.ClientSecretHash).ShouldBeTrue();
        ClientSecrets.Verify(secret + "x", stored.ClientSecretHash).ShouldBeFalse();
        stored.IsFirstParty.ShouldBeFalse();
        stored.IsDynamicallyRegistered.ShouldBeTrue();
        stored.RegistrationSecurityMode.ShouldBe(DynamicClientRegistrationSecurityMode.Permissive);
        stored.RedirectUris.ShouldBe([OddButValid, RedirectUri]);
        stored.ClientName.ShouldBe("Stored");
        stored.GrantTypes.ShouldBe(body.Strings("grant_types"));
        stored.ResponseTypes.ShouldBe(body.Strings("response_types"));
        stored.TokenEndpointAuthMethod.ShouldBe("client_secret_post");
    }

    // R9.
    [Theory]
    [InlineData("""{"client_name":"no redirect_uris"}""")]
    [InlineData("""{"redirect_uris":[]}""")]
    [InlineData("""{"redirect_uris":"https://app.example.com/callback"}""")]
    [InlineData("""{"redirect_uris":null}""")]
    [InlineData("""{"redirect_uris":[42]}""")]
    [InlineData("""{"redirect_uris":[null]}""")]
    public async Task Register_RedirectUrisMissingOrNotStrings_Returns400InvalidRedirectUri(string json)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(json);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_redirect_uri");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // R11, R12, R13, R14, R15.
    [Theory]
    [InlineData("web", "https://app.example.com/callback#fragment")]
    [InlineData("web", "/cb")]
    [InlineData("web", "https://[::1/cb")]
    [InlineData("web", "http://app.example.com/callback")]
    [InlineData("web", "http://localhost.example.com:3000/callback")]
    [InlineData("web", "javascript:alert(1)")]
    [InlineData("web", "data:text/html,hi")]
    [InlineData("web", "vbscript:msgbox(1)")]
    [InlineData("web", "file:///etc/passwd")]
    [InlineData("web", "blob:https://app.example.com/uuid")]
    [InlineData("web", "about:blank")]
    [InlineData("web", "https://user:password@app.example.com/callback")]
    [InlineData("native", "http://example.com/callback")]
    [InlineData("native", "javascript:alert(1)")]
    public async Task Register_RedirectUriNotAllowed_Returns400InvalidRedirectUri(string applicationType, string uri)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(new Dictionary<string, object>
        {
            ["application_type"] = applicationType,
            ["redirect_uris"] = new[] { RedirectUri, uri },
        });

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_redirect_uri");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // R13: OpenID Connect Registration §2: web + implicit must not use localhost.
    [Theory]
    [InlineData("https://localhost/callback")]
    [InlineData("https://localhost./callback")]
    [InlineData("https://127.0.0.1:8443/callback")]
    public async Task Register_WebImplicitWithLocalhost_Returns400InvalidRedirectUri(string uri)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync($$"""{"redirect_uris":["{{uri}}"],"response_types":["id_token token"]}""");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_redirect_uri");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // SPEC §4 permissive: a localhost redirect URI means no implicit by default.
    [Fact]
    public async Task Register_WebHttpsLocalhostWithDefaults_AuthorizationCodeOnly()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync("""{"redirect_uris":["https://localhost:5001/callback"]}""");

        var body = await response.ShouldBeCreatedAsync();
        body.Strings("grant_types").ShouldBe(["authorization_code"]);
        body.Strings("response_types").ShouldBe(["code"]);
    }

    // SPEC §4: the development-only option.
    [Fact]
    public async Task Register_WebHttpLoopbackWithDevelopmentOption_Returns201()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.Registration.AllowHttpLoopbackRedirectUrisForWebClients = true);

        using var response = await host.RegisterAsync("""{"redirect_uris":["http://localhost:3000/callback"]}""");

        var body = await response.ShouldBeCreatedAsync();
        body.Strings("redirect_uris").ShouldBe(["http://localhost:3000/callback"]);
    }

    // R14: RFC 8252 §7.1, §7.3.
    [Theory]
    [InlineData("com.example.app:/oauth2redirect")]
    [InlineData("http://127.0.0.1:49152/callback")]
    [InlineData("http://[::1]:49152/callback")]
    [InlineData("http://localhost:49152/callback")]
    [InlineData("https://app.example.com/claimed")]
    public async Task Register_NativeRedirectUri_Returns201(string uri)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync($$"""{"application_type":"native","redirect_uris":["{{uri}}"]}""");

        var body = await response.ShouldBeCreatedAsync();
        body.Strings("redirect_uris").ShouldBe([uri]);
        body.GetProperty("application_type").GetString().ShouldBe("native");
    }

    // R16, R18, R19, R20, R21 (https only; pairwise is not offered), R31, application_type.
    [Theory]
    [InlineData(""" "response_types":["code"],"grant_types":["implicit"] """)]
    [InlineData(""" "grant_types":["client_credentials"] """)]
    [InlineData(""" "token_endpoint_auth_method":"tls_client_auth" """)]
    [InlineData(""" "token_endpoint_auth_method":"private_key_jwt" """)]
    [InlineData(""" "jwks":{"keys":[]},"jwks_uri":"https://app.example.com/jwks" """)]
    [InlineData(""" "jwks_uri":"http://app.example.com/jwks" """)]
    [InlineData(""" "sector_identifier_uri":"http://app.example.com/sector.json" """)]
    [InlineData(""" "initiate_login_uri":"http://app.example.com/login" """)]
    [InlineData(""" "contacts":["call me maybe"] """)]
    [InlineData(""" "application_type":"browser" """)]
    public async Task Register_InvalidMetadata_Returns400InvalidClientMetadata(string members)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(WithMembers(members));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // R17, R21, R27, R33: ignored members are not echoed; no registration_access_token or registration_client_uri.
    [Fact]
    public async Task Register_UnknownAndUnsupportedMembers_IgnoredAndNotEchoed()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(WithMembers("""
            "foo":"bar",
            "client_name#ja-Jpan-JP":"クライアント名",
            "sector_identifier_uri":"https://app.example.com/sector.json",
            "software_statement":"eyJhbGciOiJub25lIn0.e30.",
            "registration_access_token":"chosen-by-caller"
            """));

        var body = await response.ShouldBeCreatedAsync();
        var names = body.Names();
        names.ShouldNotContain("foo");
        names.ShouldNotContain("client_name#ja-Jpan-JP");
        names.ShouldNotContain("sector_identifier_uri");
        names.ShouldNotContain("software_statement");
        names.ShouldNotContain("registration_access_token");
        names.ShouldNotContain("registration_client_uri");
        (await host.CountClientsAsync()).ShouldBe(1);
    }

    // R26: SPEC §4: flag off → 403 access_denied, nothing stored, no registration_endpoint in discovery.
    [Fact]
    public async Task Register_FlagOff_Returns403AccessDeniedAndDiscoveryOmitsEndpoint()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);

        using var response = await host.RegisterAsync(SeedRequest);

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "access_denied");
        (await host.CountClientsAsync()).ShouldBe(0);
        using var discovery = JsonDocument.Parse(await host.Client.GetStringAsync("/.well-known/openid-configuration"));
        discovery.RootElement.TryGetProperty("registration_endpoint", out _).ShouldBeFalse();
    }

    // R26: the flag is read on every request, so the Management API can turn registration off at once.
    [Fact]
    public async Task Register_FlagTurnedOffAtRuntime_Returns403()
    {
        await using var host = await TestHost.StartAsync();
        using var before = await host.RegisterAsync(MinimalRequest);
        await before.ShouldBeCreatedAsync();
        using var discoveryOn = JsonDocument.Parse(await host.Client.GetStringAsync("/.well-known/openid-configuration"));
        discoveryOn.RootElement.GetProperty("registration_endpoint").GetString().ShouldBe("https://localhost/oidc/register");

        await host.TenantSettings.UpdateAsync(s => s with { Flags = s.Flags with { EnableDynamicClientRegistration = false } }, CancellationToken.None);
        using var after = await host.RegisterAsync(MinimalRequest);

        await after.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "access_denied");
        (await host.CountClientsAsync()).ShouldBe(1);
    }

    // R29: OpenID Connect Registration §3: browser-based clients may register (CORS).
    [Fact]
    public async Task Register_CorsPreflight_AllowsPostWithJsonFromAnyOrigin()
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Options, RegisterPath);
        request.Headers.Add("Origin", "https://spa.example.org");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await host.Client.SendAsync(request);

        response.IsSuccessStatusCode.ShouldBeTrue();
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")).ShouldContain("POST");
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ShouldContain("Content-Type", Case.Insensitive);
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData(MinimalRequest, HttpStatusCode.Created)]
    [InlineData("""{"redirect_uris":[]}""", HttpStatusCode.BadRequest)]
    public async Task Register_WithOrigin_AllowOriginOnSuccessAndError(string json, HttpStatusCode status)
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, RegisterPath) { Content = Body(json) };
        request.Headers.Add("Origin", "https://spa.example.org");

        using var response = await host.Client.SendAsync(request);

        response.StatusCode.ShouldBe(status);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
        response.ShouldBeNoStoreJson();
    }

    // R30: RFC 7591 §3, OpenID Connect Registration §9: an https issuer answers plain http with an error.
    [Fact]
    public async Task Register_PlainHttpToHttpsIssuer_Returns400AndStoresNothing()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.PostAsync("http://localhost/oidc/register", Body(SeedRequest));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // SPEC §4: ids are generated and stored atomically: no two parallel registrations share one.
    [Fact]
    public async Task Register_200InParallel_All201WithDistinctIds()
    {
        const int Count = 200;
        await using var host = await TestHost.StartAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, Count).Select(async i =>
        {
            using var response = await host.RegisterAsync($$"""{"client_name":"parallel {{i}}","redirect_uris":["{{RedirectUri}}/{{i}}"]}""");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        var ids = responses.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("client_id").GetString()).ToHashSet();
        ids.Count.ShouldBe(Count);
        (await host.CountClientsAsync()).ShouldBe(Count);
        var page = await host.Clients.ListAsync(0, Count + 10, CancellationToken.None);
        page.Items.Where(c => c.IsDynamicallyRegistered).Select(c => c.ClientId).ToHashSet().SetEquals(ids!).ShouldBeTrue();
    }

    [GeneratedRegex("^[A-Za-z0-9]{32}$")]
    private static partial Regex PermissiveClientId();

    [GeneratedRegex("^tpc_[A-Za-z0-9]{32}$")]
    private static partial Regex StrictClientId();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Base64Url();

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
