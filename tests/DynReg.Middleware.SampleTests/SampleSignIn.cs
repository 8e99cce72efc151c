using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.SampleTests;

/// <summary>
/// The sample's set-up and sign-in over plain HTTP: the walkthrough's step 3 through the Management
/// API, then a user's access token as a public client gets it (registration, <c>/authorize</c> with
/// PKCE, the login page, consent, the code at <c>/oauth/token</c>). Needs the registration flag on,
/// and https for the sign-in: the session cookie is <c>Secure</c>, which .NET's cookie container,
/// unlike browsers, keeps from http://127.0.0.1.
/// </summary>
internal static class SampleSignIn
{
    // The Development user of appsettings.Development.json, as the README documents it.
    public const string Email = "demo@example.com";
    public const string Password = "demo-password-change-me";
    public const string Connection = "Username-Password-Authentication";

    // A native client's loopback callback (RFC 8252 §7.3); nothing listens there: the test reads the redirect.
    private const string RedirectUri = "http://127.0.0.1:33418/callback";

    /// <summary>The README walkthrough's step 3 through the Management API: find the connection, promote it.</summary>
    public static async Task PromoteConnectionAsync(SampleProcess sample)
    {
        using var client = await ManagementClientAsync(sample);

        // The sample's API takes tokens for its own audience only, not a Management API token.
        using var refused = await client.GetAsync("api/appointments");
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var connections = await client.GetFromJsonAsync<JsonElement>("api/v2/connections?name=" + Connection);
        var id = connections[0].GetProperty("id").GetString();
        using var promoted = await client.PatchAsJsonAsync("api/v2/connections/" + id, new { is_domain_connection = true });
        promoted.StatusCode.ShouldBe(HttpStatusCode.OK, await promoted.Content.ReadAsStringAsync());
    }

    /// <summary>The tenant's security mode for registrations (Auth0's <c>dynamic_client_registration_security_mode</c>): permissive or strict.</summary>
    public static async Task SetSecurityModeAsync(SampleProcess sample, string mode)
    {
        using var client = await ManagementClientAsync(sample);
        using var patched = await client.PatchAsJsonAsync("api/v2/tenants/settings", new Dictionary<string, string>
        {
            ["dynamic_client_registration_security_mode"] = mode,
        });
        var text = await patched.Content.ReadAsStringAsync();
        patched.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        JsonDocument.Parse(text).RootElement.GetProperty("dynamic_client_registration_security_mode").GetString().ShouldBe(mode);
    }

    /// <summary>A client for the sample with a Management API token of its machine-to-machine client (walkthrough step 1).</summary>
    private static async Task<HttpClient> ManagementClientAsync(SampleProcess sample)
    {
        var client = sample.CreateClient();
        using var tokenResponse = await client.PostAsJsonAsync("oauth/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "sample-management-client",
            ["client_secret"] = "sample-management-secret-change-me",
            ["audience"] = sample.BaseAddress + "api/v2/",
        });
        tokenResponse.StatusCode.ShouldBe(HttpStatusCode.OK, await tokenResponse.Content.ReadAsStringAsync());
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// Registers a public client, signs the demo user in with the code flow and PKCE for
    /// <paramref name="audience"/>, accepts consent and redeems the code: the access token.
    /// </summary>
    public static async Task<string> UserAccessTokenAsync(SampleProcess sample, string audience, string scope)
    {
        using var client = sample.CreateClient();
        using var registered = await client.PostAsJsonAsync("oidc/register", new
        {
            client_name = "Sample test client",
            redirect_uris = new[] { RedirectUri },
            token_endpoint_auth_method = "none",
            grant_types = new[] { "authorization_code" },
        });
        var registration = await JsonAsync(registered, HttpStatusCode.Created);
        var clientId = registration.GetProperty("client_id").GetString()!;

        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = "authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri,
            ["audience"] = audience,
            ["scope"] = scope,
            ["state"] = "st-1",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        }.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value)));

        var location = await SignInAsync(sample, new Uri(sample.BaseAddress, authorize), audience);
        location.GetLeftPart(UriPartial.Path).ShouldBe(RedirectUri);
        var parameters = Browser.ResponseParameters(location, fragment: false);
        parameters["state"].ShouldBe("st-1");

        using var redeemed = await client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = parameters["code"],
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }));
        return (await JsonAsync(redeemed, HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
    }

    /// <summary>
    /// The user's part of the code flow, as a browser does it: opens <paramref name="authorize"/>,
    /// signs the demo user in on the login page, accepts consent to the API <paramref name="apiName"/>
    /// (a dynamically registered client is third-party) and answers the redirect to the client,
    /// unfollowed: its Location carries the code.
    /// </summary>
    public static async Task<Uri> SignInAsync(SampleProcess sample, Uri authorize, string apiName)
    {
        var handler = sample.CreateHandler();
        handler.UseCookies = false;
        handler.AllowAutoRedirect = false;
        using var browser = new Browser(handler, sample.BaseAddress);

        using var page = await browser.GetAsync(authorize.AbsoluteUri);
        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        using var login = await browser.PostCredentialsAsync(Browser.LoginConfig(html), Email, Password);
        var form = await login.Content.ReadAsStringAsync();
        login.StatusCode.ShouldBe(HttpStatusCode.OK, form);

        using var consentPage = await browser.SubmitFormAsync(form);
        var consent = await consentPage.Content.ReadAsStringAsync();
        consentPage.StatusCode.ShouldBe(HttpStatusCode.OK, consent);
        WebUtility.HtmlDecode(consent).ShouldContain($"<strong id=\"api-name\">{apiName}</strong>");
        using var callback = await browser.SubmitFormAsync(consent, new Dictionary<string, string> { ["decision"] = "accept" });
        callback.StatusCode.ShouldBe(HttpStatusCode.Found, await callback.Content.ReadAsStringAsync());
        return callback.Headers.Location!;
    }

    /// <summary>The claims of a JWT, decoded only (the server under test is what validates it).</summary>
    public static JsonElement Claims(string jwt) => JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement.Clone();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
