using System.Net;
using DynReg.Middleware.Testing;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>
/// CHECKLIST A4-A8, A11, A12, A15, A16, A21, A22 in permissive mode: once client and redirect
/// URI are trusted, every error goes back to the redirect URI (RFC 6749 §4.1.2.1, §4.2.2.1),
/// in the fragment for token-bearing response types, with the client's state.
/// </summary>
public sealed class AuthorizeErrorRedirectTests
{
    // A4: no response_type; the error goes in the query (nothing says tokens were asked for).
    [Fact]
    public async Task Authorize_ResponseTypeMissing_RedirectsInvalidRequestInQuery()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Authorize(("client_id", client.ClientId), ("redirect_uri", RedirectUri), ("scope", "openid"), ("state", "xyz")));

        ShouldBeErrorRedirect(response, "invalid_request", fragment: false)["state"].ShouldBe("xyz");
    }

    [Theory]
    [InlineData("code token")]
    [InlineData("code id_token")]
    [InlineData("none")]
    [InlineData("tokens")]
    [InlineData("CODE")]
    public async Task Authorize_ResponseTypeUnknown_RedirectsUnsupportedResponseType(string responseType)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Authorize(
            ("client_id", client.ClientId), ("response_type", responseType), ("redirect_uri", RedirectUri), ("scope", "openid"), ("nonce", "n"), ("state", "xyz")));

        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        var location = response.Headers.Location!;
        var parameters = Browser.ResponseParameters(location, fragment: location.Fragment.Length > 0);
        parameters["error"].ShouldBe("unsupported_response_type");
        parameters["state"].ShouldBe("xyz");
        parameters.ShouldNotContainKey("code");
        parameters.ShouldNotContainKey("access_token");
    }

    // A5: a client registered for the code flow only asks for tokens.
    [Theory]
    [InlineData("token")]
    [InlineData("id_token token")]
    [InlineData("id_token")]
    public async Task Authorize_ResponseTypeNotRegistered_RedirectsUnauthorizedClientInFragment(string responseType)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{RedirectUri}}"],"grant_types":["authorization_code"]}""");

        using var response = await host.Client.GetAsync(Implicit(client.ClientId, responseType: responseType, state: "xyz"));

        ShouldBeErrorRedirect(response, "unauthorized_client", fragment: true)["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task Authorize_CodeNotRegistered_RedirectsUnauthorizedClientInQuery()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{RedirectUri}}"],"grant_types":["implicit"],"response_types":["id_token token"]}""");

        using var response = await host.Client.GetAsync(Code(client.ClientId, state: "xyz"));

        ShouldBeErrorRedirect(response, "unauthorized_client", fragment: false)["state"].ShouldBe("xyz");
    }

    // A6, MRT §5: tokens never in the query, so response_mode=query with a token type is refused.
    [Theory]
    [InlineData("token")]
    [InlineData("id_token token")]
    [InlineData("id_token")]
    public async Task Authorize_TokenResponseTypeWithQueryMode_RedirectsInvalidRequestWithoutTokens(string responseType)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        // Even a signed-in user gets no token in the query.
        await SignInAsync(browser, Implicit(client.ClientId));
        using var response = await browser.GetAsync(Implicit(client.ClientId, responseType: responseType, state: "xyz", extra: ("response_mode", "query")));

        ShouldBeErrorRedirect(response, "invalid_request", fragment: false)["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task Authorize_ResponseModeUnknown_RedirectsInvalidRequest()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId, state: "xyz", extra: ("response_mode", "web_message")));

        ShouldBeErrorRedirect(response, "invalid_request", fragment: true)["state"].ShouldBe("xyz");
    }

    // A7: state comes back byte for byte on errors (success: ImplicitResponseTests).
    [Theory]
    [InlineData("af0ifjsldkj")]
    [InlineData("a b&c=d/é?#%20+")]
    public async Task Authorize_ErrorWithState_StateEchoedExactly(string state)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var implicitError = await host.Client.GetAsync(Implicit(client.ClientId, scope: "openid bogus", state: state));
        using var codeError = await host.Client.GetAsync(Code(client.ClientId, scope: "openid bogus", state: state));

        ShouldBeErrorRedirect(implicitError, "invalid_scope", fragment: true)["state"].ShouldBe(state);
        ShouldBeErrorRedirect(codeError, "invalid_scope", fragment: false)["state"].ShouldBe(state);
    }

    [Fact]
    public async Task Authorize_ErrorWithoutState_NoStateInRedirect()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Authorize(("client_id", client.ClientId), ("response_type", "code"), ("redirect_uri", RedirectUri), ("scope", "openid bogus")));

        ShouldBeErrorRedirect(response, "invalid_scope", fragment: false).ShouldNotContainKey("state");
    }

    // A8, OpenID Connect Core §3.2.2.1: nonce is required when /authorize returns an ID token.
    [Theory]
    [InlineData("id_token token")]
    [InlineData("id_token")]
    public async Task Authorize_IdTokenWithoutNonce_RedirectsInvalidRequestInFragment(string responseType)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Authorize(
            ("client_id", client.ClientId), ("response_type", responseType), ("redirect_uri", RedirectUri), ("scope", "openid"), ("state", "xyz")));

        ShouldBeErrorRedirect(response, "invalid_request", fragment: true)["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task Authorize_TokenWithoutNonce_LoginPage()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Authorize(
            ("client_id", client.ClientId), ("response_type", "token"), ("redirect_uri", RedirectUri), ("audience", Api), ("scope", ApiScope), ("state", "xyz")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // A11 (decided as node-oidc-provider does): an ID token needs the openid scope.
    [Theory]
    [InlineData("id_token token")]
    [InlineData("id_token")]
    public async Task Authorize_IdTokenWithoutOpenIdScope_RedirectsInvalidRequest(string responseType)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId, scope: "profile email", responseType: responseType, state: "xyz"));

        ShouldBeErrorRedirect(response, "invalid_request", fragment: true)["state"].ShouldBe("xyz");
    }

    // A12: scopes are OpenID's or the audience's; the audience is an API of the tenant.
    [Theory]
    [InlineData("openid bogus", null)]
    [InlineData("openid read:appointments", null)]
    [InlineData("openid read:everything", Api)]
    [InlineData("openid", "https://unknown.example.com/api")]
    [InlineData("openid", "https://localhost/api/v2/")]
    public async Task Authorize_UnknownScopeOrAudience_RedirectsInvalidScope(string scope, string? audience)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId, scope: scope, state: "xyz", extra: ("audience", audience)));

        ShouldBeErrorRedirect(response, "invalid_scope", fragment: true)["state"].ShouldBe("xyz");
    }

    // A15, RFC 9700 §2.1.1: a public client must use PKCE.
    [Fact]
    public async Task Authorize_PublicClientCodeWithoutPkce_RedirectsInvalidRequestInQuery()
    {
        await using var host = await StartAsync();
        var client = await RegisterPublicAsync(host);

        using var response = await host.Client.GetAsync(Code(client.ClientId, state: "xyz"));

        var parameters = ShouldBeErrorRedirect(response, "invalid_request", fragment: false);
        parameters["state"].ShouldBe("xyz");
        parameters["error_description"].ShouldContain("code_challenge");
    }

    [Fact]
    public async Task Authorize_PublicClientCodeWithPkce_LoginPage()
    {
        await using var host = await StartAsync();
        var client = await RegisterPublicAsync(host);

        using var response = await host.Client.GetAsync(Code(client.ClientId, NewVerifier()));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // A16: only S256 is offered; plain (explicit or implied) is refused.
    [Theory]
    [InlineData("plain")]
    [InlineData(null)]
    [InlineData("s256")]
    [InlineData("S512")]
    public async Task Authorize_ChallengeMethodNotS256_RedirectsInvalidRequest(string? method)
    {
        await using var host = await StartAsync();
        var client = await RegisterPublicAsync(host);

        using var response = await host.Client.GetAsync(Authorize(
            ("client_id", client.ClientId), ("response_type", "code"), ("redirect_uri", RedirectUri), ("scope", "openid"), ("state", "xyz"),
            ("code_challenge", Challenge(NewVerifier())), ("code_challenge_method", method)));

        ShouldBeErrorRedirect(response, "invalid_request", fragment: false)["state"].ShouldBe("xyz");
    }

    // A21, RFC 6749 §3.1: no parameter may be repeated.
    [Theory]
    [InlineData("state")]
    [InlineData("scope")]
    [InlineData("response_type")]
    [InlineData("nonce")]
    [InlineData("audience")]
    public async Task Authorize_ParameterRepeated_RedirectsInvalidRequest(string repeated)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        (string, string?)[] parameters =
        [
            ("client_id", client.ClientId), ("response_type", "id_token token"), ("redirect_uri", RedirectUri), ("audience", Api),
            ("scope", "openid"), ("nonce", "n"), ("state", "a"),
        ];

        using var response = await host.Client.GetAsync(Authorize([.. parameters, (repeated, parameters.First(p => p.Item1 == repeated).Item2 + "-again")]));

        var answer = ShouldBeErrorRedirect(response, "invalid_request", fragment: true);
        if (repeated == "state")
        {
            // Which of the two states would be "the" state? Neither is echoed.
            answer.ShouldNotContainKey("state");
        }
        else
        {
            answer["state"].ShouldBe("a");
        }
    }

    [Fact]
    public async Task Authorize_ClientIdRepeated_ErrorPage()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId, extra: ("client_id", client.ClientId)));

        await ShouldBeErrorPageAsync(response, "invalid_request");
    }

    // A22, RFC 6749 §3.1: unknown parameters are ignored.
    [Fact]
    public async Task Authorize_UnknownParameters_Ignored()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        var location = await SignInAsync(browser, Implicit(client.ClientId, state: "xyz", extra: [("foo", "bar"), ("ui_locales", "fr"), ("t1795713926494", "")]));

        var fragment = Browser.ResponseParameters(location, fragment: true);
        fragment["state"].ShouldBe("xyz");
        fragment.ShouldContainKey("access_token");
        fragment.ShouldNotContainKey("foo");
    }

    // A22, OpenID Connect Core §6: request objects are not supported, and say so.
    [Theory]
    [InlineData("request", "eyJhbGciOiJub25lIn0.eyJzdGF0ZSI6IngifQ.", "request_not_supported")]
    [InlineData("request_uri", "https://client.example.com/request.jwt", "request_uri_not_supported")]
    public async Task Authorize_RequestObject_RedirectsNotSupported(string name, string value, string error)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId, state: "xyz", extra: (name, value)));

        ShouldBeErrorRedirect(response, error, fragment: true)["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task Authorize_PromptUnknown_RedirectsInvalidRequest()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await host.Client.GetAsync(Implicit(client.ClientId, state: "xyz", extra: ("prompt", "none login")));

        ShouldBeErrorRedirect(response, "invalid_request", fragment: true)["state"].ShouldBe("xyz");
    }
}
