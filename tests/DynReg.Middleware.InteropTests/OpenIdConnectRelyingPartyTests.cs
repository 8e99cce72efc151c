using System.Net;
using System.Text.Json;
using DynReg.Middleware.InteropTests.Infrastructure;
using DynReg.Middleware.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DynReg.Middleware.InteropTests;

/// <summary>
/// ASP.NET Core's OpenID Connect handler (Microsoft.AspNetCore.Authentication.OpenIdConnect)
/// in a relying-party app signs a user in through the provider, both on Kestrel over TLS, with
/// a client registered dynamically. The handler does discovery, the authorize request with
/// PKCE, the code exchange, ID token validation (signature, issuer, audience, nonce) and
/// userinfo itself; the test is only the browser.
/// </summary>
public sealed class OpenIdConnectRelyingPartyTests
{
    [Theory]
    [InlineData("form_post")] // the handler's default
    [InlineData("query")]
    public async Task SignIn_DynamicallyRegisteredClientCodeWithPkce_RelyingPartyReadsTheUsersClaims(string responseMode)
    {
        await using var provider = await KestrelProvider.StartAsync();
        await using var relyingParty = await RelyingParty.StartAsync(provider, responseMode);
        // Relative URLs on the provider's pages resolve against the provider; the app's are absolute.
        using var browser = new Browser(KestrelProvider.Handler(), provider.Issuer);

        // 1. The app challenges: a redirect to our /authorize with PKCE and its own nonce and state.
        using var challenge = await browser.Client.GetAsync(new Uri(relyingParty.BaseAddress, "/protected"));
        var authorize = UserAgent.Location(challenge);
        authorize.GetLeftPart(UriPartial.Path).ShouldBe(provider.Authority + "authorize");
        var query = QueryHelpers.ParseQuery(authorize.Query);
        query["client_id"].ToString().ShouldBe(relyingParty.ClientId);
        query["redirect_uri"].ToString().ShouldBe(relyingParty.RedirectUri.AbsoluteUri);
        query["response_type"].ToString().ShouldBe("code");
        query["code_challenge_method"].ToString().ShouldBe("S256");
        query["code_challenge"].ToString().ShouldNotBeNullOrEmpty();
        query["nonce"].ToString().ShouldNotBeNullOrEmpty();
        if (responseMode == "form_post")
        {
            query["response_mode"].ToString().ShouldBe("form_post");
        }
        else
        {
            query.ContainsKey("response_mode").ShouldBeFalse(); // query is the code flow's default (OAuth 2.0 Multiple Response Types §5)
        }

        browser.Cookies.GetCookies(relyingParty.RedirectUri).Select(c => c.Name)
            .ShouldContain(n => n.StartsWith(".AspNetCore.Correlation.", StringComparison.Ordinal));

        // 2. At the provider: login page, credentials, callback, consent (a third-party client).
        using var answer = await UserAgent.SignInAsync(browser, authorize);

        // 3. Back to the app's /signin-oidc: its correlation and nonce cookies go with it.
        using var callback = responseMode == "query"
            ? await browser.Client.GetAsync(UserAgent.Location(answer))
            : await PostFormAsync(browser, answer, relyingParty);
        var returned = UserAgent.Location(callback);
        returned.AbsolutePath.ShouldBe("/protected", await callback.Content.ReadAsStringAsync());

        // 4. Signed in at the app: the claims come from our ID token and userinfo.
        using var page = await browser.Client.GetAsync(returned);
        var text = await page.Content.ReadAsStringAsync();
        page.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        using var body = JsonDocument.Parse(text);
        var claims = body.RootElement.GetProperty("claims").EnumerateArray()
            .Select(c => (Type: c[0].GetString()!, Value: c[1].GetString()!)).ToList();
        var idToken = new JsonWebToken(body.RootElement.GetProperty("id_token").GetString());
        claims.ShouldContain(("sub", idToken.Subject));
        idToken.Subject.ShouldNotBeNullOrEmpty();
        claims.ShouldContain(("email", KestrelProvider.Email));
        claims.ShouldContain(("name", KestrelProvider.UserName));
        idToken.Issuer.ShouldBe(provider.Authority);
        idToken.Audiences.ShouldBe([relyingParty.ClientId]);
        body.RootElement.GetProperty("access_token").GetString().ShouldNotBeNullOrEmpty();
    }

    private static async Task<HttpResponseMessage> PostFormAsync(Browser browser, HttpResponseMessage answer, RelyingParty relyingParty)
    {
        var html = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        html.ShouldContain($"action=\"{relyingParty.RedirectUri.AbsoluteUri}\"");
        return await browser.SubmitFormAsync(html);
    }
}
