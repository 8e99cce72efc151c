using System.Net;
using System.Security.Cryptography;
using System.Text;
using DynReg.Middleware.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>CHECKLIST A6, A7, A9, A10, A17: what a successful /authorize sends back, and where.</summary>
public sealed class AuthorizeResponseTests
{
    // A6, A10: token-bearing responses in the fragment only; no refresh token, no code.
    [Theory]
    [InlineData("token", false)]
    [InlineData("id_token token", true)]
    [InlineData("token id_token", true)]
    public async Task Implicit_TokenResponseTypes_TokensInFragmentNeverQuery(string responseType, bool idToken)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        var location = await SignInAsync(browser, Implicit(client.ClientId, scope: $"openid offline_access {ApiScope}", responseType: responseType, extra: ("audience", Api)));

        location.GetLeftPart(UriPartial.Path).ShouldBe(RedirectUri);
        location.Query.ShouldBeEmpty();
        var fragment = Browser.ResponseParameters(location, fragment: true);
        fragment["access_token"].ShouldNotBeNullOrEmpty();
        fragment["token_type"].ShouldBe("Bearer");
        long.Parse(fragment["expires_in"], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        fragment.ContainsKey("id_token").ShouldBe(idToken);
        fragment.ShouldNotContainKey("refresh_token");
        fragment.ShouldNotContainKey("code");
        Jwt(fragment["access_token"]).GetPayloadValue<string>("scope").Split(' ').ShouldContain(ApiScope);
    }

    [Fact]
    public async Task Implicit_IdTokenOnly_IdTokenWithoutAtHashInFragment()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        var location = await SignInAsync(browser, Implicit(client.ClientId, responseType: "id_token"));

        location.Query.ShouldBeEmpty();
        var fragment = Browser.ResponseParameters(location, fragment: true);
        fragment.ShouldNotContainKey("access_token");
        fragment.ShouldNotContainKey("code");
        var token = Jwt(fragment["id_token"]);
        token.GetPayloadValue<string>("nonce").ShouldBe("n-0S6_WzA2Mj");
        token.TryGetPayloadValue<string>("at_hash", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Implicit_FormPostMode_AutoPostingFormToRedirectUri()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        await SignInAsync(browser, Implicit(client.ClientId));

        using var response = await browser.GetAsync(Implicit(client.ClientId, state: "xyz", extra: ("response_mode", "form_post")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Location.ShouldBeNull();
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain($"<form method=\"post\" action=\"{RedirectUri}\">");
        html.ShouldContain("name=\"access_token\"");
        html.ShouldContain("<input type=\"hidden\" name=\"state\" value=\"xyz\">");
    }

    // A7: the state of a successful answer is the client's, unchanged.
    [Theory]
    [InlineData("af0ifjsldkj")]
    [InlineData("a b&c=d/é?#%20+")]
    public async Task Authorize_SuccessWithState_StateEchoedExactly(string state)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        var implicitLocation = await SignInAsync(browser, Implicit(client.ClientId, state: state));
        using var code = await browser.GetAsync(Code(client.ClientId, state: state));

        Browser.ResponseParameters(implicitLocation, fragment: true)["state"].ShouldBe(state);
        code.StatusCode.ShouldBe(HttpStatusCode.Found);
        Browser.ResponseParameters(code.Headers.Location!, fragment: false)["state"].ShouldBe(state);
    }

    // A9: the implicit ID token, checked against the JWKS.
    [Fact]
    public async Task Implicit_IdToken_SignedWithNonceAtHashAndStandardClaims()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var fragment = Browser.ResponseParameters(await SignInAsync(browser, Implicit(client.ClientId)), fragment: true);

        var keys = new JsonWebKeySet(await host.Client.GetStringAsync("/.well-known/jwks.json"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(fragment["id_token"], new TokenValidationParameters
        {
            ValidIssuer = TestHost.Issuer.AbsoluteUri,
            ValidAudience = client.ClientId,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        result.IsValid.ShouldBeTrue(result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        token.Alg.ShouldBe("RS256");
        token.Kid.ShouldNotBeNullOrEmpty();
        token.Issuer.ShouldBe("https://localhost/");
        token.Subject.ShouldStartWith("auth0|");
        token.GetPayloadValue<string>("aud").ShouldBe(client.ClientId);
        token.GetPayloadValue<string>("nonce").ShouldBe("n-0S6_WzA2Mj");
        token.GetPayloadValue<long>("iat").ShouldBeInRange(before - 5, before + 60);
        token.GetPayloadValue<long>("exp").ShouldBeGreaterThan(token.GetPayloadValue<long>("iat"));
        token.GetPayloadValue<string>("email").ShouldBe(Email);
        token.GetPayloadValue<string>("name").ShouldBe("Jane Doe");
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(fragment["access_token"]));
        token.GetPayloadValue<string>("at_hash").ShouldBe(Base64UrlEncoder.Encode(hash, 0, 16));
    }

    [Fact]
    public async Task Implicit_OpenIdScopeOnly_NoProfileOrEmailClaims()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        var fragment = Browser.ResponseParameters(await SignInAsync(browser, Implicit(client.ClientId, scope: "openid")), fragment: true);

        var token = Jwt(fragment["id_token"]);
        token.TryGetPayloadValue<string>("email", out _).ShouldBeFalse();
        token.TryGetPayloadValue<string>("name", out _).ShouldBeFalse();
    }

    // Access token: JWT for the audience plus {issuer}userinfo, azp, scope (SPEC §6).
    [Fact]
    public async Task Implicit_AccessToken_AudienceUserInfoAzpScope()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        var fragment = Browser.ResponseParameters(
            await SignInAsync(browser, Implicit(client.ClientId, scope: $"openid {ApiScope}", extra: ("audience", Api))), fragment: true);

        var token = Jwt(fragment["access_token"]);
        token.Typ.ShouldBe("at+jwt");
        token.Audiences.ShouldBe([Api, "https://localhost/userinfo"]);
        token.GetPayloadValue<string>("azp").ShouldBe(client.ClientId);
        token.GetPayloadValue<string>("scope").ShouldBe($"openid {ApiScope}");
        fragment["scope"].ShouldBe($"openid {ApiScope}");
    }

    // A17: the code in the query, once, with the state; nothing in a fragment.
    [Fact]
    public async Task Code_Success_CodeAndStateInQueryOnly()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        var location = await SignInAsync(browser, Code(client.ClientId, state: "xyz"));

        location.Fragment.ShouldBeEmpty();
        location.GetLeftPart(UriPartial.Path).ShouldBe(RedirectUri);
        location.Query.Split('&').Length.ShouldBe(3);
        var query = Browser.ResponseParameters(location, fragment: false);
        query.Keys.Order().ShouldBe(["code", "iss", "state"]);
        query["iss"].ShouldBe("https://localhost/"); // RFC 9207 §2: the issuer, byte for byte
        query["code"].Length.ShouldBeGreaterThanOrEqualTo(32);
        query["state"].ShouldBe("xyz");
    }

    [Fact]
    public async Task Code_RedirectUriWithQuery_CodeAppendedToRegisteredQuery()
    {
        const string withQuery = "https://client.example.com/cb?tenant=a";
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{withQuery}}"]}""");
        using var browser = host.NewBrowser();

        var location = await SignInAsync(browser, Code(client.ClientId, state: "xyz", redirectUri: withQuery));

        location.ToString().ShouldStartWith(withQuery + "&code=");
        var query = Browser.ResponseParameters(location, fragment: false);
        query["tenant"].ShouldBe("a");
        query["state"].ShouldBe("xyz");
    }

    // OpenID Connect Core §3.1.2.1: the authorization endpoint takes POST with a form as well as GET.
    [Fact]
    public async Task Authorize_PostedForm_SameAsGet()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var query = new Uri(new Uri("https://localhost"), Implicit(client.ClientId)).Query.TrimStart('?');
        var fields = query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));

        using var page = await browser.Client.PostAsync("/authorize", new FormUrlEncodedContent(fields));
        using var notForm = await browser.Client.PostAsync("/authorize", new StringContent("{}", Encoding.UTF8, "application/json"));

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        Browser.LoginConfig(await page.Content.ReadAsStringAsync()).GetProperty("clientID").GetString().ShouldBe(client.ClientId);
        await ShouldBeErrorPageAsync(notForm, "invalid_request");
    }
}
