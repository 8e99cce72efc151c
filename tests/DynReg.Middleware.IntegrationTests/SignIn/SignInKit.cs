using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>A registered client as the registration answer gave it.</summary>
internal sealed record RegisteredClient(string ClientId, string? ClientSecret);

/// <summary>
/// What the sign-in tests share: a host with one domain connection, one user and one API; a
/// registration; <c>/authorize</c> URLs; the login round trip; PKCE; the token endpoint.
/// </summary>
internal static class SignInKit
{
    public const string Connection = "Username-Password-Authentication";
    public const string Email = "user@example.com";
    public const string Password = "correct horse battery staple";
    public const string RedirectUri = "https://client.example.com/callback";
    public const string Api = "appointments:api";
    public const string ApiScope = "read:appointments";

    /// <summary>A fresh host: <see cref="Connection"/> as a domain connection, the user, the API.</summary>
    public static Task<TestHost> StartAsync(
        Action<DynamicRegistrationBuilder>? build = null,
        Action<IServiceCollection>? services = null,
        Action<DynamicRegistrationOptions>? configure = null,
        Action<Microsoft.AspNetCore.Builder.WebApplication>? map = null)
        => TestHost.StartAsync(
            configure: configure,
            build: b =>
            {
                b.AddConnection(Connection, isDomainConnection: true)
                    .AddApi(Api, ApiScope, "write:appointments")
                    .AddInMemoryUsers(new InMemoryUser(Connection, Email, Password, "Jane Doe"));
                build?.Invoke(b);
            },
            services: services,
            map: map);

    /// <summary>Registers a client from raw JSON; by default a confidential client with <see cref="RedirectUri"/>.</summary>
    public static async Task<RegisteredClient> RegisterAsync(TestHost host, string? json = null)
    {
        using var response = await host.RegisterAsync(json ?? $$"""{"client_name":"Partner App","redirect_uris":["{{RedirectUri}}"]}""");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        using var body = JsonDocument.Parse(text);
        return new RegisteredClient(
            body.RootElement.GetProperty("client_id").GetString()!,
            body.RootElement.TryGetProperty("client_secret", out var secret) ? secret.GetString() : null);
    }

    /// <summary>Registers a public client (<c>token_endpoint_auth_method: none</c>).</summary>
    public static Task<RegisteredClient> RegisterPublicAsync(TestHost host, string redirectUri = RedirectUri)
        => RegisterAsync(host, $$"""{"client_name":"Public App","redirect_uris":["{{redirectUri}}"],"token_endpoint_auth_method":"none"}""");

    /// <summary>Makes the tenant strict (SPEC §4) before clients register.</summary>
    public static Task MakeStrictAsync(TestHost host)
        => host.TenantSettings.UpdateAsync(s => s with { DynamicClientRegistrationSecurityMode = DynamicClientRegistrationSecurityMode.Strict }, CancellationToken.None);

    /// <summary><c>/authorize</c> with exactly these parameters, in this order; null values are left out, repeats kept.</summary>
    public static string Authorize(params (string Name, string? Value)[] parameters)
        => "/authorize?" + string.Join('&', parameters.Where(p => p.Value is not null).Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value!)));

    /// <summary>An implicit request (<c>id_token token</c>) with nonce and state.</summary>
    public static string Implicit(string clientId, string scope = "openid profile email", string state = "st-1", string responseType = "id_token token", params (string Name, string? Value)[] extra)
        => Authorize([("client_id", clientId), ("response_type", responseType), ("redirect_uri", RedirectUri), ("scope", scope), ("nonce", "n-0S6_WzA2Mj"), ("state", state), .. extra]);

    /// <summary>A code request; with a PKCE challenge when <paramref name="verifier"/> is given.</summary>
    public static string Code(string clientId, string? verifier = null, string scope = "openid profile email", string state = "st-1", string redirectUri = RedirectUri, params (string Name, string? Value)[] extra)
        => Authorize([
            ("client_id", clientId), ("response_type", "code"), ("redirect_uri", redirectUri), ("scope", scope), ("state", state),
            ("code_challenge", verifier is null ? null : Challenge(verifier)), ("code_challenge_method", verifier is null ? null : "S256"), .. extra]);

    /// <summary>GET /authorize; asserts the login page and returns its config.</summary>
    public static async Task<JsonElement> OpenLoginPageAsync(Browser browser, string authorize)
    {
        using var page = await browser.GetAsync(authorize);
        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        return Browser.LoginConfig(html);
    }

    /// <summary>Login page → credential post → callback form; returns the callback's answer (consent page or redirect).</summary>
    public static async Task<HttpResponseMessage> LogInAsync(Browser browser, string authorize, string email = Email, string password = Password)
    {
        var config = await OpenLoginPageAsync(browser, authorize);
        using var login = await browser.PostCredentialsAsync(config, email, password);
        var form = await login.Content.ReadAsStringAsync();
        login.StatusCode.ShouldBe(HttpStatusCode.OK, form);
        return await browser.SubmitFormAsync(form);
    }

    /// <summary>The whole round trip, accepting consent when asked; returns the final redirect.</summary>
    public static async Task<Uri> SignInAsync(Browser browser, string authorize)
    {
        using var callback = await LogInAsync(browser, authorize);
        return await AcceptConsentIfAskedAsync(browser, callback);
    }

    /// <summary>Accepts the consent page when the answer is one; returns the redirect's Location.</summary>
    public static async Task<Uri> AcceptConsentIfAskedAsync(Browser browser, HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var consent = await browser.SubmitFormAsync(await response.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["decision"] = "accept" });
            consent.StatusCode.ShouldBe(HttpStatusCode.Found, await consent.Content.ReadAsStringAsync());
            return consent.Headers.Location!;
        }

        response.StatusCode.ShouldBe(HttpStatusCode.Found, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!;
    }

    /// <summary>Signs in through the code flow and returns the code.</summary>
    public static async Task<string> GetCodeAsync(Browser browser, string authorize)
    {
        var location = await SignInAsync(browser, authorize);
        location.Fragment.ShouldBeEmpty();
        var parameters = Browser.ResponseParameters(location, fragment: false);
        parameters.ShouldContainKey("code", location.ToString());
        return parameters["code"];
    }

    /// <summary>A fresh RFC 7636 §4.1 verifier: 43 characters of base64url.</summary>
    public static string NewVerifier() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>POST /oauth/token with a form of exactly these fields (null values left out).</summary>
    public static Task<HttpResponseMessage> TokenAsync(TestHost host, params (string Name, string? Value)[] fields)
        => host.Client.PostAsync("/oauth/token", new FormUrlEncodedContent(fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Name, f.Value!))));

    /// <summary>The authorization_code grant with client_secret_post (or a bare client_id for public clients).</summary>
    public static Task<HttpResponseMessage> RedeemAsync(TestHost host, RegisteredClient client, string code, string? verifier = null, string? redirectUri = RedirectUri)
        => TokenAsync(host,
            ("grant_type", "authorization_code"), ("client_id", client.ClientId), ("client_secret", client.ClientSecret),
            ("code", code), ("redirect_uri", redirectUri), ("code_verifier", verifier));

    public static Task<HttpResponseMessage> RefreshAsync(TestHost host, RegisteredClient client, string refreshToken)
        => TokenAsync(host,
            ("grant_type", "refresh_token"), ("client_id", client.ClientId), ("client_secret", client.ClientSecret), ("refresh_token", refreshToken));

    /// <summary>The JSON body of a response, asserting the status first.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 6749 §5.2 error from the token endpoint.</summary>
    public static async Task ShouldBeTokenErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await JsonAsync(response, status);
        body.GetProperty("error").GetString().ShouldBe(error);
        body.TryGetProperty("access_token", out _).ShouldBeFalse();
    }

    /// <summary>Asserts the JSON body equals <paramref name="expected"/> member for member.</summary>
    public static async Task ShouldBeJsonAsync(HttpResponseMessage response, HttpStatusCode status, string expected)
    {
        var body = await JsonAsync(response, status);
        using var want = JsonDocument.Parse(expected);
        JsonElement.DeepEquals(body, want.RootElement).ShouldBeTrue($"expected {expected}, got {body.GetRawText()}");
    }

    /// <summary>The HTML error page of /authorize and friends: 400 text/html, never a redirect (A1).</summary>
    public static async Task<string> ShouldBeErrorPageAsync(HttpResponseMessage response, string? error = null, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, html);
        response.Headers.Location.ShouldBeNull();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        html.ShouldNotContain("@@config@@");
        html.ShouldNotContain("atob(");
        if (error is not null)
        {
            html.ShouldContain($"<code id=\"error\">{error}</code>");
        }

        return html;
    }

    /// <summary>Asserts a redirect to <see cref="RedirectUri"/> carrying <paramref name="error"/> in the fragment or the query only.</summary>
    public static Dictionary<string, string> ShouldBeErrorRedirect(HttpResponseMessage response, string error, bool fragment, string redirectUri = RedirectUri)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        var location = response.Headers.Location!;
        location.IsAbsoluteUri.ShouldBeTrue();
        location.GetLeftPart(UriPartial.Path).ShouldBe(redirectUri);
        if (fragment)
        {
            location.Query.ShouldBeEmpty();
        }
        else
        {
            location.Fragment.ShouldBeEmpty();
        }

        var parameters = Browser.ResponseParameters(location, fragment);
        parameters["error"].ShouldBe(error, location.ToString());
        parameters.ShouldContainKey("error_description");
        parameters.ShouldNotContainKey("access_token");
        parameters.ShouldNotContainKey("id_token");
        parameters.ShouldNotContainKey("code");
        return parameters;
    }

    /// <summary>The claims of a JWT, unvalidated (tests validate signatures where the row asks).</summary>
    public static JsonWebToken Jwt(string token) => new(token);
}
