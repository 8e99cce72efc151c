using System.Net;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.IntegrationTests.SignIn;
using DynReg.Middleware.Testing;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace DynReg.Middleware.IntegrationTests.Abuse;

/// <summary>
/// Generated bad (and some good) input against every surface that reads input: FsCheck makes JSON
/// documents, forms and query strings, biased towards each endpoint's own member names so the
/// validators are reached, not just the parser. For every case: never a 5xx, never a new stored
/// client after an error answer, and always the surface's own error shape (RFC 6749/7591 JSON on
/// the protocol endpoints, Lock's JSON on the login post, Auth0's on /api/v2, a page or a redirect
/// to the registered redirect URI on /authorize). Each property prints how many cases ran.
/// </summary>
public sealed class BadInputPropertyTests(ITestOutputHelper output)
{
    private const int Cases = 300;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _statuses = new();

    private static readonly string[] RfcErrors =
    [
        "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope",
        "access_denied", "invalid_redirect_uri", "invalid_client_metadata", "too_many_requests", "temporarily_unavailable",
    ];

    [Fact]
    public async Task Register_GeneratedBodies_NoServerErrorNothingStoredOnErrorRfc7591Shape()
    {
        await using var host = await TestHost.StartAsync();
        var ran = await CheckAsync(Arb.From(RegistrationBodies()), async body =>
        {
            var before = await host.CountClientsAsync();
            using var response = await host.Client.PostAsync("/oidc/register", body.ToContent());
            var text = await response.Content.ReadAsStringAsync();
            _statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            var after = await host.CountClientsAsync();
            ((int)response.StatusCode).ShouldBeLessThan(500, text);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue();
            if (response.StatusCode == HttpStatusCode.Created)
            {
                after.ShouldBe(before + 1);
                using var created = JsonDocument.Parse(text);
                created.RootElement.GetProperty("client_id").GetString().ShouldNotBeNullOrEmpty();
            }
            else
            {
                after.ShouldBe(before, $"stored a client after {(int)response.StatusCode}: {text}");
                ShouldBeRfcError(text, RfcErrors);
            }
        });

        ran.ShouldBe(Cases);
    }

    [Fact]
    public async Task Authorize_GeneratedQueries_PageOrRedirectToTheRegisteredUriOnly()
    {
        await using var host = await SignInKit.StartAsync();
        var client = await SignInKit.RegisterAsync(host);
        var clients = await host.CountClientsAsync();
        var ran = await CheckAsync(Arb.From(AuthorizeQueries(client.ClientId)), async query =>
        {
            using var browser = host.NewBrowser();
            using var response = await browser.GetAsync("/authorize?" + query);
            var text = await response.Content.ReadAsStringAsync();
            _statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            ((int)response.StatusCode).ShouldBeLessThan(500, text);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK when text.Contains("<title>Continue</title>", StringComparison.Ordinal):
                    // response_mode=form_post: the error posted to the registered URI, and never a credential.
                    text.ShouldContain($"action=\"{SignInKit.RedirectUri}\"");
                    text.ShouldContain("name=\"error\"");
                    text.ShouldNotContain("name=\"code\"");
                    text.ShouldNotContain("name=\"access_token\"");
                    break;
                case HttpStatusCode.OK:
                    // The login page (a new transaction), nothing else.
                    response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
                    Browser.LoginConfig(text).GetProperty("clientID").GetString().ShouldBe(client.ClientId);
                    break;
                case HttpStatusCode.Found:
                    // A19: an error goes only to the URI the client registered, and never with a credential.
                    var location = response.Headers.Location!.ToString();
                    location.ShouldStartWith(SignInKit.RedirectUri);
                    location.Length.ShouldBeGreaterThan(SignInKit.RedirectUri.Length);
                    "?#".ShouldContain(location[SignInKit.RedirectUri.Length]);
                    location.ShouldContain("error=");
                    location.ShouldNotContain("code=");
                    location.ShouldNotContain("access_token=");
                    break;
                default:
                    // The error page: 400, or 414 for a query over the 8 KiB bound.
                    response.StatusCode.ShouldBeOneOf([HttpStatusCode.BadRequest, HttpStatusCode.RequestUriTooLong], text);
                    response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
                    response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
                    text.ShouldContain("<code id=\"error\">");
                    break;
            }

            (await host.CountClientsAsync()).ShouldBe(clients);
        });

        ran.ShouldBe(Cases);
    }

    [Fact]
    public async Task Token_GeneratedRequests_NoServerErrorRfc6749Shape()
    {
        await using var host = await SignInKit.StartAsync();
        var client = await SignInKit.RegisterAsync(host);
        var clients = await host.CountClientsAsync();
        var ran = await CheckAsync(Arb.From(TokenRequests(client)), async body =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token") { Content = body.ToContent() };
            if (body.Basic is { } basic)
            {
                request.Headers.Authorization = new("Basic", basic);
            }

            using var response = await host.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            _statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            ((int)response.StatusCode).ShouldBeLessThan(500, text);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue();
            using var json = JsonDocument.Parse(text);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                json.RootElement.GetProperty("access_token").GetString().ShouldNotBeNullOrEmpty();
            }
            else
            {
                ShouldBeRfcError(text, RfcErrors);
            }

            (await host.CountClientsAsync()).ShouldBe(clients);
        });

        ran.ShouldBe(Cases);
    }

    [Fact]
    public async Task LoginPost_GeneratedBodies_NoServerErrorLockShape()
    {
        await using var host = await SignInKit.StartAsync();
        var client = await SignInKit.RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await SignInKit.OpenLoginPageAsync(browser, SignInKit.Implicit(client.ClientId));
        var transaction = config.GetProperty("internalOptions").GetProperty("state").GetString()!;
        var csrf = config.GetProperty("internalOptions").GetProperty("_csrf").GetString()!;
        var clients = await host.CountClientsAsync();
        var ran = await CheckAsync(Arb.From(LoginBodies(transaction, csrf)), async body =>
        {
            using var response = await browser.Client.PostAsync("/usernamepassword/login", body.ToContent());
            var text = await response.Content.ReadAsStringAsync();
            _statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            ((int)response.StatusCode).ShouldBeLessThan(500, text);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                // Right credentials: the hidden form that posts the ticket to the callback.
                text.ShouldStartWith("<form method=\"post\" name=\"hiddenform\"");
            }
            else
            {
                // Lock's shapes: {code, description} (or {error, error_description} for a blocked user).
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                (root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                    || root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String).ShouldBeTrue(text);
                (root.TryGetProperty("description", out _) || root.TryGetProperty("error_description", out _)).ShouldBeTrue(text);
            }

            (await host.CountClientsAsync()).ShouldBe(clients);
        });

        ran.ShouldBe(Cases);
    }

    [Fact]
    public async Task ManagementApi_GeneratedRequests_NoServerErrorAuth0ShapeNothingStoredOnError()
    {
        await using var host = await SignInKit.StartAsync();
        var client = await SignInKit.RegisterAsync(host);
        var token = await host.GetManagementTokenAsync();
        var ran = await CheckAsync(Arb.From(ManagementRequests(client.ClientId)), async call =>
        {
            var before = await host.CountClientsAsync();
            using var request = TestHost.Authorized(new HttpMethod(call.Method), call.Path, token, call.Body?.ToContent());
            using var response = await host.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            _statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            ((int)response.StatusCode).ShouldBeLessThan(500, text);
            if ((int)response.StatusCode >= 400)
            {
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                root.GetProperty("statusCode").GetInt32().ShouldBe((int)response.StatusCode, text);
                root.GetProperty("error").GetString().ShouldNotBeNullOrEmpty();
                root.GetProperty("message").GetString().ShouldNotBeNullOrEmpty();
                root.GetProperty("errorCode").GetString().ShouldNotBeNullOrEmpty();
                (await host.CountClientsAsync()).ShouldBe(before, text);
            }
            else
            {
                (await host.CountClientsAsync()).ShouldBeLessThanOrEqualTo(before);
            }
        });

        ran.ShouldBe(Cases);
    }

    /// <summary>Runs the property on the thread pool (blocking on each case there, never on xunit's context) and counts the cases.</summary>
    private async Task<int> CheckAsync<T>(Arbitrary<T> arbitrary, Func<T, Task> property, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        var ran = 0;
        var started = DateTime.UtcNow;
        await Task.Run(() => Prop.ForAll(arbitrary, value =>
        {
            Interlocked.Increment(ref ran);
            property(value).GetAwaiter().GetResult();
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases).WithName(name)));
        var statuses = string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        output.WriteLine($"{name}: {ran} FsCheck cases in {(DateTime.UtcNow - started).TotalSeconds:0.0} s; answers {statuses}");
        return ran;
    }

    private static void ShouldBeRfcError(string text, string[] errors)
    {
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        root.ValueKind.ShouldBe(JsonValueKind.Object, text);
        root.GetProperty("error").GetString().ShouldBeOneOf(errors);
        root.EnumerateObject().Select(p => p.Name).ShouldBeSubsetOf(["error", "error_description"]);
        if (root.TryGetProperty("error_description", out var description))
        {
            description.ValueKind.ShouldBe(JsonValueKind.String);
        }
    }

    // ----- generators -----

    /// <summary>A request body: text, its media type, and for the token endpoint a Basic credential.</summary>
    public sealed record Body(string Text, string MediaType, string? Basic = null)
    {
        public HttpContent ToContent()
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Text));
            content.Headers.TryAddWithoutValidation("Content-Type", MediaType);
            return content;
        }

        public override string ToString() => $"{MediaType} {Text}";
    }

    public sealed record ManagementCall(string Method, string Path, Body? Body)
    {
        public override string ToString() => $"{Method} {Path} {Body}";
    }

    private static Gen<string> Strings() => Gen.OneOf(
        Gen.Elements("", " ", "a", "https://app.example.com/cb", "http://localhost/cb", "javascript:alert(1)", "com.example.app:/cb",
            "https://app.example.com/cb#frag", "https://user:pw@app.example.com/", "none", "client_secret_post", "client_secret_basic",
            "private_key_jwt", "code", "token", "id_token token", "authorization_code", "implicit", "refresh_token", "client_credentials",
            "web", "native", "openid profile", "dev@example.com", "not-an-email", "\u202Eevil", "\u0000", "\ud800", "é", "😀",
            new string('x', 300), new string('y', 3000), "{}", "[]", "null", "%00", "\"quoted\"", "<script>"),
        ArbMap.Default.GeneratorFor<string>().Select(s => s ?? string.Empty));

    private static Gen<string> JsonValues(int depth) => depth <= 0
        ? Gen.OneOf(Strings().Select(JsonString), Gen.Elements("true", "false", "null", "0", "-1", "1e309", "3.5", "12345678901234567890"))
        : Gen.Frequency(
            (5, JsonValues(0)),
            (3, JsonValues(depth - 1).ListOf().Select(items => "[" + string.Join(",", items.Take(6)) + "]")),
            (1, Gen.Zip(Strings(), JsonValues(depth - 1)).ListOf().Select(ms => "{" + string.Join(",", ms.Take(4).Select(m => JsonString(m.Item1) + ":" + m.Item2)) + "}")));

    private static Gen<string> JsonObjects(string[] names) => Gen.Zip(
            Gen.OneOf(Gen.Elements(names), Strings()),
            JsonValues(2))
        .ListOf()
        .Select(members => "{" + string.Join(",", members.Take(8).Select(m => JsonString(m.Item1) + ":" + m.Item2)) + "}");

    private static Gen<Body> RegistrationBodies()
    {
        string[] names =
        [
            "redirect_uris", "client_name", "token_endpoint_auth_method", "grant_types", "response_types", "application_type",
            "client_uri", "logo_uri", "policy_uri", "tos_uri", "contacts", "scope", "jwks", "jwks_uri", "sector_identifier_uri",
            "initiate_login_uri", "client_id", "client_secret", "software_statement",
        ];
        var plausible = Gen.Zip(Gen.Elements(
                "[\"https://app.example.com/cb\"]", "[\"com.example.app:/cb\"]", "[\"http://127.0.0.1:8080/cb\"]", "[]", "\"https://app.example.com/cb\""),
                JsonObjects(names))
            .Select(p => p.Item2.Length > 2 ? "{\"redirect_uris\":" + p.Item1 + "," + p.Item2[1..] : "{\"redirect_uris\":" + p.Item1 + "}");
        // Some nearly valid ones, so the 201 path (one more stored client) is exercised too.
        var nearlyValid = Strings().Select(name => "{\"redirect_uris\":[\"https://app.example.com/cb\"],\"client_name\":" + JsonString(name) + "}");
        var text = Gen.Frequency(
            (2, nearlyValid),
            (5, plausible),
            (3, JsonObjects(names)),
            (1, JsonValues(3)),
            (1, Strings()),
            (1, plausible.Select(t => t[..(t.Length / 2)])));
        return Gen.Zip(text, Gen.Frequency((9, Gen.Constant("application/json")), (1, Gen.Elements("text/plain", "application/json; charset=latin1", "application/x-www-form-urlencoded", ""))))
            .Select(p => new Body(p.Item1, p.Item2));
    }

    private static Gen<string> AuthorizeQueries(string clientId)
    {
        var names = Gen.Elements("client_id", "redirect_uri", "response_type", "response_mode", "scope", "state", "nonce", "prompt", "audience",
            "connection", "code_challenge", "code_challenge_method", "request", "request_uri", "claims", "id_token_hint", "x");
        var values = Gen.OneOf(
            Gen.Elements(clientId, clientId, "unknown-client", SignInKit.RedirectUri, SignInKit.RedirectUri, "https://evil.example/cb",
                SignInKit.RedirectUri + "/../x", "code", "token", "id_token", "id_token token", "token id_token", "query", "fragment", "form_post",
                "openid", "openid profile email", "openid offline_access", "read:appointments", "admin", SignInKit.Api, "none", "login", "consent",
                "none login", SignInKit.Connection, "S256", "plain", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
            Strings());
        var pairs = Gen.Zip(names, values).ListOf().Select(ps => ps.Take(12).ToList());
        var anchored = Gen.Zip(Gen.Elements(true, true, false), pairs).Select(p => p.Item1
            ? [("client_id", clientId), ("redirect_uri", SignInKit.RedirectUri), .. p.Item2]
            : p.Item2);
        return anchored.Select(ps => string.Join("&", ps.Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2))));
    }

    private static Gen<Body> TokenRequests(RegisteredClient client)
    {
        var names = Gen.Elements("grant_type", "client_id", "client_secret", "code", "redirect_uri", "code_verifier", "refresh_token", "audience", "scope", "x");
        var values = Gen.OneOf(
            Gen.Elements("authorization_code", "refresh_token", "client_credentials", "password", "implicit", client.ClientId, client.ClientSecret!,
                client.ClientSecret![..^1] + "x", TestHost.ManagementClientId, TestHost.ManagementClientSecret, TestHost.ManagementAudience,
                SignInKit.Api, SignInKit.RedirectUri, "read:clients", "read:clients update:clients", "openid"),
            Strings());
        // Half the cases name a grant and a client with its right secret, so the grants' own checks are reached.
        var lead = Gen.OneOf(
            Gen.Constant(new List<(string, string)>()),
            Gen.Elements("authorization_code", "refresh_token", "client_credentials").Select(g => new List<(string, string)>
            {
                ("grant_type", g), ("client_id", client.ClientId), ("client_secret", client.ClientSecret!),
            }),
            Gen.Constant(new List<(string, string)>
            {
                ("grant_type", "client_credentials"), ("client_id", TestHost.ManagementClientId), ("client_secret", TestHost.ManagementClientSecret),
                ("audience", TestHost.ManagementAudience),
            }));
        var pairs = Gen.Zip(lead, Gen.Zip(names, values).ListOf())
            .Select(p => p.Item1.Concat(p.Item2.Take(6).Where(x => !p.Item1.Any(l => l.Item1 == x.Item1))).ToList());
        var form = pairs.Select(ps => new Body(string.Join("&", ps.Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2))), "application/x-www-form-urlencoded"));
        var json = Gen.OneOf(
            pairs.Select(ps => "{" + string.Join(",", ps.DistinctBy(p => p.Item1).Select(p => JsonString(p.Item1) + ":" + JsonString(p.Item2))) + "}"),
            JsonObjects(["grant_type", "client_id", "client_secret", "audience", "scope"]),
            JsonValues(2)).Select(t => new Body(t, "application/json"));
        var basic = Gen.OneOf(
            Gen.Constant<string?>(null), Gen.Constant<string?>(null),
            Gen.Elements<string?>(
                Convert.ToBase64String(Encoding.UTF8.GetBytes(TestHost.ManagementClientId + ":" + TestHost.ManagementClientSecret)),
                Convert.ToBase64String(Encoding.UTF8.GetBytes(client.ClientId + ":wrong")), "not base64", "", Convert.ToBase64String(Encoding.UTF8.GetBytes("no-colon"))));
        return Gen.Zip(Gen.Frequency((3, form), (2, json), (1, Strings().Select(t => new Body(t, "text/plain")))), basic)
            .Select(p => p.Item1 with { Basic = p.Item2 });
    }

    private static Gen<Body> LoginBodies(string transaction, string csrf)
    {
        var names = Gen.Elements("state", "_csrf", "username", "email", "password", "connection", "tenant", "client_id", "sso", "x");
        var values = Gen.OneOf(
            Gen.Elements(transaction, transaction, csrf, csrf, SignInKit.Email, SignInKit.Password, "wrong", SignInKit.Connection, "other-connection"),
            Strings());
        // Half the cases carry the right transaction and anti-forgery token, so the credential checks are reached.
        var pairs = Gen.Zip(Gen.Elements(true, false), Gen.Zip(names, values).ListOf())
            .Select(p => (p.Item1 ? [("state", transaction), ("_csrf", csrf), ("username", SignInKit.Email)] : new List<(string, string)>())
                .Concat(p.Item2.Take(8).Where(x => !p.Item1 || x.Item1 is not ("state" or "_csrf"))).ToList());
        var form = pairs.Select(ps => new Body(string.Join("&", ps.Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2))), "application/x-www-form-urlencoded"));
        var json = Gen.OneOf(
            pairs.Select(ps => "{" + string.Join(",", ps.DistinctBy(p => p.Item1).Select(p => JsonString(p.Item1) + ":" + JsonString(p.Item2))) + "}"),
            JsonObjects(["state", "_csrf", "username", "password", "connection", "sso", "popup_options"]),
            JsonValues(2)).Select(t => new Body(t, "application/json"));
        return Gen.Frequency((3, form), (3, json), (1, Strings().Select(t => new Body(t, "text/plain"))));
    }

    private static Gen<ManagementCall> ManagementRequests(string clientId)
    {
        var paths = Gen.Elements(
            "/api/v2/clients", "/api/v2/clients?page=0&per_page=5&include_totals=true", "/api/v2/clients?per_page=0", "/api/v2/clients?page=-1",
            $"/api/v2/clients/{clientId}", "/api/v2/clients/unknown", $"/api/v2/clients/{clientId}/rotate-secret", $"/api/v2/clients/{TestHost.ManagementClientId}",
            "/api/v2/connections", "/api/v2/connections?name=Username-Password-Authentication", "/api/v2/connections/unknown", "/api/v2/tenants/settings");
        var methods = Gen.Elements("GET", "PATCH", "PATCH", "POST", "DELETE");
        var bodies = Gen.OneOf(
            Gen.Constant<Body?>(null),
            JsonObjects(["name", "callbacks", "logo_uri", "is_disabled", "is_domain_connection", "enabled_clients", "options", "strategy", "flags",
                    "dynamic_client_registration_security_mode", "friendly_name", "client_id", "client_secret"])
                .Select(t => (Body?)new Body(t, "application/json")),
            JsonValues(2).Select(t => (Body?)new Body(t, "application/json")),
            Strings().Select(t => (Body?)new Body(t, "text/plain")));
        return Gen.Zip(Gen.Zip(methods, paths), bodies)
            .Select(c => new ManagementCall(c.Item1.Item1, c.Item1.Item2, c.Item2))
            // Deleting the one dynamic client ends the interesting part of the run early: keep it (other deletes stay).
            .Where(c => !(c.Method == "DELETE" && c.Path == $"/api/v2/clients/{clientId}"));
    }

    private static string JsonString(string value) => JsonSerializer.Serialize(value);
}
