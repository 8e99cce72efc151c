using System.Net;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Users;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>
/// LOCK.md §(a) rows 6-12 and §(d): the credential post, its error shapes, its anti-forgery
/// checks, the callback, and the small endpoints Lock calls at start-up.
/// </summary>
public sealed class CredentialPostTests
{
    private const string BlockedEmail = "blocked@example.com";

    [Fact]
    public async Task CredentialPost_WrongPassword_LockValidationError()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));

        using var response = await browser.PostCredentialsAsync(config, Email, "wrong password");

        await ShouldBeJsonAsync(response, HttpStatusCode.BadRequest,
            """{"name":"ValidationError","code":"invalid_user_password","description":"Wrong email or password.","statusCode":400}""");
    }

    [Fact]
    public async Task CredentialPost_UnknownUser_SameAnswerAsWrongPassword()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));

        using var response = await browser.PostCredentialsAsync(config, "nobody@example.com", Password);

        await ShouldBeJsonAsync(response, HttpStatusCode.BadRequest,
            """{"name":"ValidationError","code":"invalid_user_password","description":"Wrong email or password.","statusCode":400}""");
    }

    [Fact]
    public async Task CredentialPost_BlockedUser_LockUnauthorized()
    {
        await using var host = await StartAsync(build: b => b.AddInMemoryUsers(new InMemoryUser(Connection, BlockedEmail, Password, Blocked: true)));
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));

        using var response = await browser.PostCredentialsAsync(config, BlockedEmail, Password);

        await ShouldBeJsonAsync(response, HttpStatusCode.Unauthorized, """{"error":"unauthorized","error_description":"user is blocked"}""");
    }

    // 10 failures are allowed; the 11th attempt is refused even with the right password.
    [Fact]
    public async Task CredentialPost_ElevenFailures_TooManyAttempts()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));

        for (var i = 0; i < 10; i++)
        {
            using var failed = await browser.PostCredentialsAsync(config, Email, "wrong " + i);
            failed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        using var limited = await browser.PostCredentialsAsync(config, Email, "wrong again");
        using var rightButLimited = await browser.PostCredentialsAsync(config, Email, Password);

        var body = await JsonAsync(limited, HttpStatusCode.TooManyRequests);
        body.GetProperty("code").GetString().ShouldBe("too_many_attempts");
        body.GetProperty("description").GetString().ShouldNotBeNullOrEmpty();
        (await JsonAsync(rightButLimited, HttpStatusCode.TooManyRequests)).GetProperty("code").GetString().ShouldBe("too_many_attempts");
    }

    [Fact]
    public async Task CredentialPost_FailuresForOneUser_OtherUserUnaffected()
    {
        const string other = "other@example.com";
        await using var host = await StartAsync(build: b => b.AddInMemoryUsers(new InMemoryUser(Connection, other, Password)));
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));
        for (var i = 0; i < 11; i++)
        {
            using var failed = await browser.PostCredentialsAsync(config, Email, "wrong");
        }

        using var response = await browser.PostCredentialsAsync(config, other, Password);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // Lock 10.0-10.8 (auth0.js 7) posts application/x-www-form-urlencoded.
    [Fact]
    public async Task CredentialPost_FormEncoded_SignsIn()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId, state: "xyz"));
        var fields = new Dictionary<string, string>
        {
            ["client_id"] = client.ClientId,
            ["redirect_uri"] = RedirectUri,
            ["tenant"] = "localhost",
            ["connection"] = Connection,
            ["username"] = Email,
            ["password"] = Password,
            ["sso"] = "true",
            ["popup"] = "false",
        };
        foreach (var option in config.GetProperty("internalOptions").EnumerateObject())
        {
            fields[option.Name] = option.Value.GetString()!;
        }

        using var login = await browser.Client.PostAsync("/usernamepassword/login", new FormUrlEncodedContent(fields));

        var html = await login.Content.ReadAsStringAsync();
        login.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        login.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        html.ShouldStartWith("<form method=\"post\"");
        html.ShouldContain("action=\"/login/callback\"");
        html.ShouldNotContain("name=\"submit\"");
        var location = await AcceptConsentIfAskedAsync(browser, await browser.SubmitFormAsync(html));
        Browser.ResponseParameters(location, fragment: true)["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task CredentialPost_EmailFieldInsteadOfUsername_SignsIn()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));
        var internalOptions = config.GetProperty("internalOptions");
        var fields = new Dictionary<string, string>
        {
            ["state"] = internalOptions.GetProperty("state").GetString()!,
            ["_csrf"] = internalOptions.GetProperty("_csrf").GetString()!,
            ["email"] = Email,
            ["password"] = Password,
        };

        using var login = await browser.Client.PostAsync("/usernamepassword/login", new FormUrlEncodedContent(fields));

        login.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("forged-csrf-token")]
    [InlineData("")]
    public async Task CredentialPost_MissingOrWrongCsrf_ForbiddenNoTicket(string? csrf)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));

        using var response = await PostAsJsonAsync(browser, Body(config, csrf: csrf, dropCsrf: csrf is null));

        await ShouldBeForbiddenWithoutTicketAsync(response);
    }

    // The binding cookie is what ties the transaction to the browser that opened the login page.
    [Fact]
    public async Task CredentialPost_FromAnotherBrowser_ForbiddenNoTicket()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var victim = host.NewBrowser();
        using var attacker = host.NewBrowser();
        var config = await OpenLoginPageAsync(victim, Implicit(client.ClientId));

        using var response = await attacker.PostCredentialsAsync(config, Email, Password);

        await ShouldBeForbiddenWithoutTicketAsync(response);
    }

    [Fact]
    public async Task CredentialPost_UnknownState_SessionMissing()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Implicit(client.ClientId));

        using var response = await PostAsJsonAsync(browser, Body(config, state: "not-a-transaction"));

        var body = await JsonAsync(response, HttpStatusCode.BadRequest);
        body.GetProperty("code").GetString().ShouldBe("session_missing");
        body.GetProperty("statusCode").GetInt32().ShouldBe(400);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("broken json")]
    public async Task CredentialPost_BodyNeitherFormNorJson_BadRequestJson(string kind)
    {
        await using var host = await StartAsync();
        using var browser = host.NewBrowser();

        using var response = await browser.Client.PostAsync("/usernamepassword/login",
            kind == "text/plain" ? new StringContent("state=x", Encoding.UTF8, "text/plain") : new StringContent("{\"state\":", Encoding.UTF8, "application/json"));

        (await JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("code").GetString().ShouldBe("invalid_request");
    }

    // LOCK.md row 11: the server trusts the transaction, not the client_id, redirect_uri, scope or response_type in the body.
    [Fact]
    public async Task CredentialPost_DifferentRedirectScopeResponseType_TransactionWins()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{RedirectUri}}","https://client.example.com/other"]}""");
        var other = await RegisterAsync(host, """{"redirect_uris":["https://attacker.example/cb"]}""");
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Code(client.ClientId, scope: "openid", state: "xyz"));
        var body = Body(config);
        body["client_id"] = other.ClientId;
        body["redirect_uri"] = "https://attacker.example/cb";
        body["scope"] = $"openid email offline_access {ApiScope}";
        body["audience"] = Api;
        body["response_type"] = "token";

        using var login = await PostAsJsonAsync(browser, body);
        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var callback = await browser.SubmitFormAsync(await login.Content.ReadAsStringAsync());
        var consentPage = await callback.Content.ReadAsStringAsync();
        consentPage.ShouldContain("<li><code>openid</code></li>");
        consentPage.ShouldNotContain("<li><code>email</code></li>");
        consentPage.ShouldNotContain(ApiScope);
        var location = await AcceptConsentIfAskedAsync(browser, callback);

        location.GetLeftPart(UriPartial.Path).ShouldBe(RedirectUri);
        location.Fragment.ShouldBeEmpty();
        var query = Browser.ResponseParameters(location, fragment: false);
        query["state"].ShouldBe("xyz");
        using var token = await RedeemAsync(host, client, query["code"]);
        var tokens = await JsonAsync(token, HttpStatusCode.OK);
        tokens.GetProperty("scope").GetString().ShouldBe("openid");
        tokens.TryGetProperty("refresh_token", out _).ShouldBeFalse();
    }

    // LOCK.md row 12: the ticket in wresult works once.
    [Fact]
    public async Task LoginCallback_WresultReused_ErrorPage()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Code(client.ClientId));
        using var login = await browser.PostCredentialsAsync(config, Email, Password);
        var form = await login.Content.ReadAsStringAsync();

        using var first = await browser.SubmitFormAsync(form);
        using var second = await browser.SubmitFormAsync(form);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldBeErrorPageAsync(second, "invalid_request");
    }

    [Fact]
    public async Task LoginCallback_ForgedWresult_ErrorPageNoSession()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Code(client.ClientId));
        using var login = await browser.PostCredentialsAsync(config, Email, Password);

        using var forged = await browser.SubmitFormAsync(await login.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["wresult"] = "forged" });

        await ShouldBeErrorPageAsync(forged, "invalid_request");
        forged.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).ShouldNotContain(c => c.StartsWith("dynreg.session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoginCallback_TicketFromAnotherBrowser_Forbidden()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        using var attacker = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Code(client.ClientId));
        using var login = await browser.PostCredentialsAsync(config, Email, Password);

        using var stolen = await attacker.SubmitFormAsync(await login.Content.ReadAsStringAsync());

        await ShouldBeErrorPageAsync(stolen, "access_denied", HttpStatusCode.Forbidden);
    }

    // LOCK.md rows 7-10: no captcha.
    [Theory]
    [InlineData("/usernamepassword/challenge")]
    [InlineData("/passwordless/challenge")]
    [InlineData("/dbconnections/change_password/challenge")]
    [InlineData("/dbconnections/signup/challenge")]
    public async Task Challenge_AnyState_NotRequired(string path)
    {
        await using var host = await StartAsync();

        using var response = await host.Client.PostAsync(path, TestHost.Json("""{"state":"anything"}"""));

        await ShouldBeJsonAsync(response, HttpStatusCode.OK, """{"required":false}""");
    }

    // LOCK.md row 6: both spellings, no single sign-on data.
    [Theory]
    [InlineData("/user/ssodata")]
    [InlineData("/user/ssodata/")]
    [InlineData("/user/ssodata?ldaps=1&client_id=x")]
    public async Task SsoData_AnyRequest_SsoFalse(string path)
    {
        await using var host = await StartAsync();

        using var response = await host.Client.GetAsync(path);

        await ShouldBeJsonAsync(response, HttpStatusCode.OK, """{"sso":false}""");
    }

    private static Dictionary<string, string> Body(JsonElement config, string? csrf = null, bool dropCsrf = false, string? state = null)
    {
        var body = new Dictionary<string, string>
        {
            ["client_id"] = config.GetProperty("clientID").GetString()!,
            ["redirect_uri"] = config.GetProperty("callbackURL").GetString()!,
            ["connection"] = Connection,
            ["username"] = Email,
            ["password"] = Password,
        };
        foreach (var option in config.GetProperty("internalOptions").EnumerateObject())
        {
            body[option.Name] = option.Value.GetString()!;
        }

        if (dropCsrf)
        {
            body.Remove("_csrf");
        }
        else if (csrf is not null)
        {
            body["_csrf"] = csrf;
        }

        if (state is not null)
        {
            body["state"] = state;
        }

        return body;
    }

    private static Task<HttpResponseMessage> PostAsJsonAsync(Browser browser, Dictionary<string, string> body)
        => browser.Client.PostAsync("/usernamepassword/login", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    private static async Task ShouldBeForbiddenWithoutTicketAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        text.ShouldNotContain("wresult");
        text.ShouldNotContain("<form");
    }
}
