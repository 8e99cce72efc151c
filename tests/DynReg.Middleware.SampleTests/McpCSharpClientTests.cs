using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Testing.Https;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DynReg.Middleware.SampleTests;

/// <summary>
/// The C# MCP client's own OAuth support against the sample, nothing prepared for it: from the
/// MCP server's 401 it reads the RFC 9728 and RFC 8414 metadata, registers itself dynamically as
/// a confidential client (client_secret_post), sends the user to /authorize with the RFC 8707
/// resource, redeems the code with its secret and calls the tool with the token. The user's part
/// (login page, consent) is done over plain HTTP, as a browser would.
/// </summary>
public sealed class McpCSharpClientTests(McpServerTests.Sample fixture) : IClassFixture<McpServerTests.Sample>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task McpClient_WithItsOwnOAuth_RegistersAsAConfidentialClient_SignsTheUserIn_AndCallsTheTool()
    {
        var sample = fixture.Process;
        var issuer = sample.BaseAddress.AbsoluteUri;
        var mcpUrl = fixture.McpUrl;
        using var timeout = new CancellationTokenSource(Timeout);
        var recorder = new Recorder { InnerHandler = sample.CreateHandler() };
        var tokens = new LastTokens();
        Uri? authorizeUrl = null;
        Dictionary<string, string>? redirect = null;

        await using (var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(mcpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = new ClientOAuthOptions
            {
                // A native client's loopback callback on a port of its own (RFC 8252 §7.3); nothing
                // listens there: the sign-in below reads the redirect instead.
                RedirectUri = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/callback"),
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "C# MCP client (sample test)" },
                TokenCache = tokens,
                // Returns state and iss too, so the client checks both (RFC 9207) before redeeming the code.
                AuthorizationCallbackHandler = async (context, _) =>
                {
                    authorizeUrl = context.AuthorizationUri;
                    var location = await SampleSignIn.SignInAsync(sample, context.AuthorizationUri, mcpUrl);
                    location.GetLeftPart(UriPartial.Path).ShouldBe(context.RedirectUri.AbsoluteUri);
                    redirect = Browser.ResponseParameters(location, fragment: false);
                    return new AuthorizationResult
                    {
                        Code = redirect["code"],
                        State = redirect.GetValueOrDefault("state"),
                        Iss = redirect.GetValueOrDefault("iss"),
                    };
                },
            },
        }, new HttpClient(recorder), ownsHttpClient: true))
        {
            await using var mcp = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);

            var tools = await mcp.ListToolsAsync(cancellationToken: timeout.Token);
            tools.Select(t => t.Name).ShouldBe(["list_appointments"]);
            var result = await mcp.CallToolAsync("list_appointments", cancellationToken: timeout.Token);
            result.IsError.ShouldNotBe(true);
            var answer = JsonDocument.Parse(result.Content.OfType<TextContentBlock>().Single().Text).RootElement;
            answer.GetProperty("sub").GetString()!.ShouldStartWith("auth0|");
            answer.GetProperty("appointments").EnumerateArray().Select(a => a.GetProperty("title").GetString()).ShouldContain("Dental check-up");

            // The token it used: the MCP URL's, for the user the tool answered about.
            var claims = SampleSignIn.Claims(tokens.Last!.AccessToken);
            claims.GetProperty("sub").GetString().ShouldBe(answer.GetProperty("sub").GetString());
            claims.GetProperty("aud").GetString().ShouldBe(mcpUrl);
            claims.GetProperty("scope").GetString()!.Split(' ').ShouldContain("mcp:tools");
        }

        var exchanges = recorder.Exchanges.ToArray();
        var discovery = await GetJsonAsync(sample, ".well-known/oauth-authorization-server");
        var registrationEndpoint = discovery.GetProperty("registration_endpoint").GetString();
        var tokenEndpoint = discovery.GetProperty("token_endpoint").GetString();

        // 401 → RFC 9728 metadata → RFC 8414 metadata → registration → (the user at /authorize) → token → the MCP server again.
        exchanges.TakeWhile(e => e.Uri != mcpUrl || e.Status != HttpStatusCode.OK).Select(e => $"{e.Method} {e.Uri} {(int)e.Status}").ShouldBe(
        [
            $"POST {mcpUrl} 401",
            $"GET {issuer}.well-known/oauth-protected-resource/mcp 200",
            $"GET {issuer}.well-known/oauth-authorization-server 200",
            $"POST {registrationEndpoint} 201",
            $"POST {tokenEndpoint} 200",
        ], string.Join(Environment.NewLine, exchanges.Select(e => e.ToString())));

        // Registered as a confidential client: the secret is the client's to authenticate with.
        var registration = exchanges.Single(e => e.Uri == registrationEndpoint);
        JsonDocument.Parse(registration.RequestBody!).RootElement.GetProperty("token_endpoint_auth_method").GetString().ShouldBe("client_secret_post");
        var registered = JsonDocument.Parse(registration.ResponseBody!).RootElement;
        registered.GetProperty("token_endpoint_auth_method").GetString().ShouldBe("client_secret_post");
        var clientId = registered.GetProperty("client_id").GetString()!;
        var clientSecret = registered.GetProperty("client_secret").GetString()!;
        clientSecret.ShouldNotBeNullOrEmpty();

        // The authorize URL names the MCP server as the RFC 8707 resource; the redirect names this issuer (RFC 9207).
        authorizeUrl.ShouldNotBeNull();
        authorizeUrl.GetLeftPart(UriPartial.Path).ShouldBe(discovery.GetProperty("authorization_endpoint").GetString());
        var authorize = Browser.ResponseParameters(authorizeUrl, fragment: false);
        authorize["resource"].ShouldBe(mcpUrl);
        authorize["client_id"].ShouldBe(clientId);
        authorize["code_challenge_method"].ShouldBe("S256");
        redirect.ShouldNotBeNull();
        redirect["iss"].ShouldBe(issuer);
        redirect["state"].ShouldBe(authorize["state"]);

        // The code redeemed with client_secret_post: the secret in the body, no Authorization header.
        var tokenRequest = exchanges.Single(e => e.Uri == tokenEndpoint);
        tokenRequest.Authorization.ShouldBeNull();
        var form = Form(tokenRequest.RequestBody!);
        form["grant_type"].ShouldBe("authorization_code");
        form["client_id"].ShouldBe(clientId);
        form["client_secret"].ShouldBe(clientSecret);
        form["code"].ShouldBe(redirect["code"]);
        form["redirect_uri"].ShouldBe(authorize["redirect_uri"]);
        form.ShouldContainKey("code_verifier");
    }

    // RFC 8707 §2: a resource that is not an API of the sample is invalid_target, before any sign-in.
    [Fact]
    public async Task Authorize_ResourceNotAnApiOfTheSample_InvalidTargetRedirectWithIss()
    {
        var sample = fixture.Process;
        const string redirectUri = "http://127.0.0.1:33418/callback";
        using var client = sample.CreateClient();
        using var registered = await client.PostAsJsonAsync("oidc/register", new
        {
            client_name = "MCP client",
            redirect_uris = new[] { redirectUri },
            token_endpoint_auth_method = "none",
        });
        registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        var clientId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_id").GetString()!;
        var handler = sample.CreateHandler();
        handler.AllowAutoRedirect = false;
        using var browser = new HttpClient(handler) { BaseAddress = sample.BaseAddress };

        using var response = await browser.GetAsync("authorize?response_type=code&client_id=" + clientId
            + "&redirect_uri=" + Uri.EscapeDataString(redirectUri) + "&scope=mcp%3Atools&state=s1"
            + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
            + "&resource=" + Uri.EscapeDataString("https://unregistered.example.com/mcp"));

        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        var parameters = Browser.ResponseParameters(response.Headers.Location!, fragment: false);
        parameters["error"].ShouldBe("invalid_target");
        parameters["iss"].ShouldBe(sample.BaseAddress.AbsoluteUri);
        parameters.ShouldNotContainKey("code");
    }

    private static async Task<JsonElement> GetJsonAsync(SampleProcess sample, string path)
    {
        using var client = sample.CreateClient();
        return await client.GetFromJsonAsync<JsonElement>(path);
    }

    private static Dictionary<string, string> Form(string body)
        => Browser.ResponseParameters(new Uri("http://form/?" + body), fragment: false);

    /// <summary>One request the MCP client sent and its answer; bodies only for the OAuth requests (not the MCP server's streams).</summary>
    private sealed record Exchange(string Method, string Uri, string? Authorization, string? RequestBody, HttpStatusCode Status, string? ResponseBody)
    {
        public override string ToString() => $"{Method} {Uri} {(int)Status} {RequestBody} -> {ResponseBody}";
    }

    /// <summary>Records what goes through the HttpClient the MCP client is given, its OAuth requests included.</summary>
    private sealed class Recorder : DelegatingHandler
    {
        public ConcurrentQueue<Exchange> Exchanges { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var oauth = request.RequestUri!.AbsolutePath != "/mcp";
            var requestBody = oauth && request.Content is not null ? await request.Content.ReadAsStringAsync(cancellationToken) : null;
            var response = await base.SendAsync(request, cancellationToken);
            string? responseBody = null;
            if (oauth)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                responseBody = await response.Content.ReadAsStringAsync(cancellationToken);
            }

            Exchanges.Enqueue(new(request.Method.Method, request.RequestUri.AbsoluteUri.Split('?')[0], request.Headers.Authorization?.Scheme, requestBody, response.StatusCode, responseBody));
            return response;
        }
    }

    /// <summary>The client's token cache, kept to look at: the tokens it got last.</summary>
    private sealed class LastTokens : ITokenCache
    {
        public TokenContainer? Last { get; private set; }

        public ValueTask StoreTokensAsync(TokenContainer tokens, CancellationToken cancellationToken)
        {
            Last = tokens;
            return ValueTask.CompletedTask;
        }

        public ValueTask<TokenContainer?> GetTokensAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Last);
    }
}
