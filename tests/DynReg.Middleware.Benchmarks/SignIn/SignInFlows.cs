using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DynReg.Middleware.Benchmarks.SignIn;

/// <summary>
/// The sample's side of the load driver: the seed's set-up through the Management API
/// (dynamic registration on, the database connection promoted to a domain connection), one
/// registered client, one consent per user given up front, and the flows themselves.
/// </summary>
internal sealed class SignInFlows(HttpClient http, DriverOptions options)
{
    public const string RedirectUri = "https://application.example.com/callback";
    private const string Scope = "openid profile email read:appointments";

    public string ClientId { get; private set; } = string.Empty;

    public string ClientSecret { get; private set; } = string.Empty;

    /// <summary>The seed's first steps with a management token, then a fresh client and the user's consent to it.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var token = await ManagementTokenAsync(cancellationToken);
        await ManagementAsync(HttpMethod.Patch, "/api/v2/tenants/settings", """{"flags":{"enable_dynamic_client_registration":true}}""", token, cancellationToken);
        using (var connections = JsonDocument.Parse(await ManagementAsync(HttpMethod.Get, "/api/v2/connections?name=" + Uri.EscapeDataString(options.Connection), null, token, cancellationToken)))
        {
            var id = connections.RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetString()).FirstOrDefault()
                ?? throw new DriverException($"no connection named {options.Connection}");
            await ManagementAsync(HttpMethod.Patch, "/api/v2/connections/" + id, """{"is_domain_connection":true}""", token, cancellationToken);
        }

        using var registration = await http.PostAsync("/oidc/register", new StringContent(
            $$"""{"client_name":"Sign-in benchmark","redirect_uris":["{{RedirectUri}}"]}""", Encoding.UTF8, "application/json"), cancellationToken);
        var registered = await registration.Content.ReadAsStringAsync(cancellationToken);
        if (registration.StatusCode != HttpStatusCode.Created)
        {
            throw new DriverException($"registration: {(int)registration.StatusCode}: {registered}");
        }

        using (var client = JsonDocument.Parse(registered))
        {
            ClientId = client.RootElement.GetProperty("client_id").GetString()!;
            ClientSecret = client.RootElement.GetProperty("client_secret").GetString()!;
        }

        // A third-party client asks each user once: answer the consent page now, so the
        // measured round trips are authorize → credentials → callback → tokens.
        var browser = new VirtualBrowser(http);
        var login = (await browser.GetAsync(ImplicitAuthorizeUrl("consent"), cancellationToken)).Expect(HttpStatusCode.OK, "authorize");
        var form = (await browser.PostCredentialsAsync(login.Body, options.Username, options.Password, cancellationToken)).Expect(HttpStatusCode.OK, "credential post");
        var consentPage = (await browser.SubmitFormAsync(form.Body, cancellationToken)).Expect(HttpStatusCode.OK, "callback (consent page)");
        var done = (await browser.SubmitFormAsync(consentPage.Body, cancellationToken, ("decision", "accept"))).Expect(HttpStatusCode.Found, "consent");
        CheckFragment(done, "consent");
    }

    /// <summary>One full sign-in in a new browser: authorize → login page → credential post → callback → tokens in the fragment.</summary>
    public async Task<(string AccessToken, string IdToken)> SignInImplicitAsync(CancellationToken cancellationToken)
    {
        var browser = new VirtualBrowser(http);
        var state = RandomToken();
        var login = (await browser.GetAsync(ImplicitAuthorizeUrl(state), cancellationToken)).Expect(HttpStatusCode.OK, "authorize");
        var form = (await browser.PostCredentialsAsync(login.Body, options.Username, options.Password, cancellationToken)).Expect(HttpStatusCode.OK, "credential post");
        var callback = (await browser.SubmitFormAsync(form.Body, cancellationToken)).Expect(HttpStatusCode.Found, "callback");
        return CheckFragment(callback, state);
    }

    /// <summary>Signs a new browser in with the code flow and PKCE, then asks for <paramref name="count"/> codes in all, later ones on the session.</summary>
    public async Task<List<(string Code, string Verifier)>> CodesAsync(int count, CancellationToken cancellationToken)
    {
        var codes = new List<(string, string)>(count);
        var browser = new VirtualBrowser(http);
        for (var i = 0; i < count; i++)
        {
            var verifier = RandomToken() + RandomToken();
            var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            var state = RandomToken();
            var url = $"/authorize?client_id={ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}"
                + $"&audience={Uri.EscapeDataString(options.Audience)}&scope={Uri.EscapeDataString(Scope)}&state={state}"
                + $"&code_challenge={challenge}&code_challenge_method=S256";
            var answer = await browser.GetAsync(url, cancellationToken);
            if (i == 0)
            {
                answer.Expect(HttpStatusCode.OK, "authorize (code)");
                var form = (await browser.PostCredentialsAsync(answer.Body, options.Username, options.Password, cancellationToken)).Expect(HttpStatusCode.OK, "credential post (code)");
                answer = await browser.SubmitFormAsync(form.Body, cancellationToken);
            }

            answer.Expect(HttpStatusCode.Found, i == 0 ? "callback (code)" : "authorize with a session (code)");
            var query = VirtualBrowser.ResponseParameters(answer.Location!, fragment: false);
            if (!query.TryGetValue("code", out var code) || query.GetValueOrDefault("state") != state)
            {
                throw new DriverException("no code or wrong state in " + answer.Location);
            }

            codes.Add((code, verifier));
        }

        return codes;
    }

    /// <summary>Redeems one code at <c>/oauth/token</c> (client_secret_post, PKCE); the answer must hold an access and an ID token.</summary>
    public async Task<(string AccessToken, string IdToken)> RedeemAsync(string code, string verifier, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("/oauth/token", new FormUrlEncodedContent(
        [
            new("grant_type", "authorization_code"),
            new("client_id", ClientId),
            new("client_secret", ClientSecret),
            new("code", code),
            new("redirect_uri", RedirectUri),
            new("code_verifier", verifier),
        ]), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new DriverException($"code exchange: {(int)response.StatusCode}: {VirtualBrowser.Excerpt(body)}");
        }

        using var tokens = JsonDocument.Parse(body);
        return (tokens.RootElement.GetProperty("access_token").GetString()!, tokens.RootElement.GetProperty("id_token").GetString()!);
    }

    /// <summary>
    /// A full MCP connect as an MCP client makes it, in a new browser with a new registration:
    /// the MCP server's 401 → its RFC 9728 metadata → RFC 8414 metadata → <c>POST /oidc/register</c>
    /// (a public loopback client) → <c>/authorize</c> with PKCE and <c>resource</c> → login →
    /// consent (a new client asks once) → the code at <c>/oauth/token</c> → <c>tools/call</c>.
    /// </summary>
    public async Task<(string AccessToken, string IdToken)> McpConnectAsync(CancellationToken cancellationToken)
    {
        const string Callback = "http://127.0.0.1:33418/callback";
        const string ToolCall = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_appointments","arguments":{}}}""";
        var mcp = new Uri(http.BaseAddress!, "/mcp").AbsoluteUri;
        using (var challenge = await McpPostAsync(mcp, ToolCall, null, cancellationToken))
        {
            if (challenge.StatusCode != HttpStatusCode.Unauthorized)
            {
                throw new DriverException($"mcp without a token: {(int)challenge.StatusCode}");
            }

            var header = challenge.Headers.WwwAuthenticate.ToString();
            var start = header.IndexOf("resource_metadata=\"", StringComparison.Ordinal);
            if (start < 0)
            {
                throw new DriverException("no resource_metadata in " + header);
            }
        }

        using var resource = JsonDocument.Parse(await GetStringAsync(new Uri(http.BaseAddress!, "/.well-known/oauth-protected-resource/mcp").AbsoluteUri, cancellationToken));
        var issuer = resource.RootElement.GetProperty("authorization_servers")[0].GetString()!;
        using var metadata = JsonDocument.Parse(await GetStringAsync(issuer + ".well-known/oauth-authorization-server", cancellationToken));
        var registrationEndpoint = metadata.RootElement.GetProperty("registration_endpoint").GetString()!;

        using var registration = await http.PostAsync(registrationEndpoint, new StringContent(
            $$"""{"client_name":"MCP benchmark","redirect_uris":["{{Callback}}"],"token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"]}""",
            Encoding.UTF8, "application/json"), cancellationToken);
        var registered = await registration.Content.ReadAsStringAsync(cancellationToken);
        if (registration.StatusCode != HttpStatusCode.Created)
        {
            throw new DriverException($"registration: {(int)registration.StatusCode}: {VirtualBrowser.Excerpt(registered)}");
        }

        string clientId;
        using (var client = JsonDocument.Parse(registered))
        {
            clientId = client.RootElement.GetProperty("client_id").GetString()!;
        }

        var browser = new VirtualBrowser(http);
        var verifier = RandomToken() + RandomToken();
        var challengeValue = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = RandomToken();
        var login = (await browser.GetAsync($"/authorize?response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString(Callback)}"
            + $"&scope=mcp%3Atools&resource={Uri.EscapeDataString(mcp)}&state={state}&code_challenge={challengeValue}&code_challenge_method=S256", cancellationToken))
            .Expect(HttpStatusCode.OK, "authorize (mcp)");
        var form = (await browser.PostCredentialsAsync(login.Body, options.Username, options.Password, cancellationToken)).Expect(HttpStatusCode.OK, "credential post (mcp)");
        var consentPage = (await browser.SubmitFormAsync(form.Body, cancellationToken)).Expect(HttpStatusCode.OK, "callback (consent page, mcp)");
        var done = (await browser.SubmitFormAsync(consentPage.Body, cancellationToken, ("decision", "accept"))).Expect(HttpStatusCode.Found, "consent (mcp)");
        var query = VirtualBrowser.ResponseParameters(done.Location!, fragment: false);
        if (query.GetValueOrDefault("state") != state || query.GetValueOrDefault("iss") != issuer || !query.TryGetValue("code", out var code))
        {
            throw new DriverException("no code, or wrong state or iss, in " + done.Location);
        }

        using var token = await http.PostAsync(metadata.RootElement.GetProperty("token_endpoint").GetString(), new FormUrlEncodedContent(
        [
            new("grant_type", "authorization_code"),
            new("client_id", clientId),
            new("code", code),
            new("redirect_uri", Callback),
            new("code_verifier", verifier),
            new("resource", mcp),
        ]), cancellationToken);
        var tokenBody = await token.Content.ReadAsStringAsync(cancellationToken);
        if (token.StatusCode != HttpStatusCode.OK)
        {
            throw new DriverException($"code exchange (mcp): {(int)token.StatusCode}: {VirtualBrowser.Excerpt(tokenBody)}");
        }

        string accessToken;
        using (var tokens = JsonDocument.Parse(tokenBody))
        {
            accessToken = tokens.RootElement.GetProperty("access_token").GetString()!;
        }

        using var called = await McpPostAsync(mcp, ToolCall, accessToken, cancellationToken);
        var answer = await called.Content.ReadAsStringAsync(cancellationToken);
        if (called.StatusCode != HttpStatusCode.OK || !answer.Contains("Dental check-up", StringComparison.Ordinal))
        {
            throw new DriverException($"tools/call: {(int)called.StatusCode}: {VirtualBrowser.Excerpt(answer)}");
        }

        return (accessToken, accessToken);
    }

    private async Task<HttpResponseMessage> McpPostAsync(string url, string json, string? accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await http.SendAsync(request, cancellationToken);
    }

    private async Task<string> GetStringAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? body : throw new DriverException($"GET {url}: {(int)response.StatusCode}");
    }

    private string ImplicitAuthorizeUrl(string state)
        => $"/authorize?client_id={ClientId}&response_type={Uri.EscapeDataString("id_token token")}&redirect_uri={Uri.EscapeDataString(RedirectUri)}"
            + $"&audience={Uri.EscapeDataString(options.Audience)}&scope={Uri.EscapeDataString(Scope)}&nonce={RandomToken()}&state={state}";

    private static (string AccessToken, string IdToken) CheckFragment(Answer answer, string state)
    {
        var location = answer.Location ?? throw new DriverException("a redirect without Location");
        if (location.GetLeftPart(UriPartial.Path) != RedirectUri)
        {
            throw new DriverException("redirected elsewhere: " + location);
        }

        var fragment = VirtualBrowser.ResponseParameters(location, fragment: true);
        if (fragment.GetValueOrDefault("state") != state || !fragment.TryGetValue("access_token", out var accessToken) || !fragment.TryGetValue("id_token", out var idToken))
        {
            throw new DriverException("no tokens or wrong state in the fragment: " + VirtualBrowser.Excerpt(location.Fragment));
        }

        return (accessToken, idToken);
    }

    private async Task<string> ManagementTokenAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("/oauth/token", new FormUrlEncodedContent(
        [
            new("grant_type", "client_credentials"),
            new("client_id", options.ManagementClientId),
            new("client_secret", options.ManagementClientSecret),
            new("audience", new Uri(http.BaseAddress!, "/api/v2/").AbsoluteUri),
        ]), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new DriverException($"management token: {(int)response.StatusCode}: {body}");
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task<string> ManagementAsync(HttpMethod method, string path, string? json, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? body : throw new DriverException($"{method} {path}: {(int)response.StatusCode}: {body}");
    }

    private static string RandomToken() => Base64Url(RandomNumberGenerator.GetBytes(16));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
