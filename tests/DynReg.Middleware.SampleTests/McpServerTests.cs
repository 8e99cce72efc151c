using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DynReg.Middleware.SampleTests;

/// <summary>
/// The sample's MCP server at /mcp, over real HTTP against the sample process: the 401 and the
/// RFC 9728 metadata an MCP client starts from, a user token for the MCP URL calling the tool
/// through the C# MCP client, and every other token refused.
/// </summary>
public sealed class McpServerTests(McpServerTests.Sample fixture) : IClassFixture<McpServerTests.Sample>
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}""";

    [Fact]
    public async Task McpServer_WithoutAToken_401PointsAtTheProtectedResourceMetadata()
    {
        var sample = fixture.Process;
        using var client = sample.CreateClient();
        using var refused = await PostMcpAsync(client, token: null);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var metadataUrl = sample.BaseAddress + ".well-known/oauth-protected-resource/mcp";
        refused.Headers.GetValues("WWW-Authenticate").ShouldBe([$"Bearer resource_metadata=\"{metadataUrl}\""]);

        using var metadataResponse = await client.GetAsync(metadataUrl);
        var text = await metadataResponse.Content.ReadAsStringAsync();
        metadataResponse.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        metadataResponse.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var metadata = JsonDocument.Parse(text).RootElement;
        metadata.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["authorization_servers", "bearer_methods_supported", "resource", "scopes_supported"]);
        metadata.GetProperty("resource").GetString().ShouldBe(fixture.McpUrl);
        metadata.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString()).ShouldBe(["mcp:tools"]);
        metadata.GetProperty("bearer_methods_supported").EnumerateArray().Select(s => s.GetString()).ShouldBe(["header"]);

        // RFC 8414 §3.3: a client compares the issuer it was sent to with discovery's, character for character.
        var discovery = await client.GetFromJsonAsync<JsonElement>(".well-known/openid-configuration");
        var servers = metadata.GetProperty("authorization_servers");
        servers.GetArrayLength().ShouldBe(1);
        string.Equals(servers[0].GetString(), discovery.GetProperty("issuer").GetString(), StringComparison.Ordinal).ShouldBeTrue(
            $"{servers[0].GetString()} against discovery's {discovery.GetProperty("issuer").GetString()}");
    }

    [Fact]
    public async Task ListAppointments_ThroughTheMcpClientWithAUserTokenForTheMcpUrl_AnswersThatUsersAppointments()
    {
        var token = await SampleSignIn.UserAccessTokenAsync(fixture.Process, fixture.McpUrl, "openid mcp:tools");
        var claims = SampleSignIn.Claims(token);
        // With openid, Auth0's audiences: the API's, then /userinfo's.
        claims.GetProperty("aud").EnumerateArray().Select(a => a.GetString()).ShouldBe([fixture.McpUrl, fixture.Process.BaseAddress + "userinfo"]);
        claims.GetProperty("scope").GetString()!.Split(' ').ShouldContain("mcp:tools");
        var subject = claims.GetProperty("sub").GetString();
        subject.ShouldStartWith("auth0|");

        await using var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(fixture.McpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }, fixture.Process.CreateClient(), ownsHttpClient: true);
        await using var mcp = await McpClient.CreateAsync(transport);

        var tools = await mcp.ListToolsAsync();
        tools.Select(t => t.Name).ShouldBe(["list_appointments"]);

        var result = await mcp.CallToolAsync("list_appointments");
        result.IsError.ShouldNotBe(true);
        var answer = JsonDocument.Parse(result.Content.OfType<TextContentBlock>().Single().Text).RootElement;
        answer.GetProperty("sub").GetString().ShouldBe(subject);
        answer.GetProperty("appointments").EnumerateArray().Select(a => a.GetProperty("title").GetString()).ShouldContain("Dental check-up");

        // The MCP token is for the MCP server only: the other API refuses it.
        using var client = fixture.Process.CreateClient();
        using var api = new HttpRequestMessage(HttpMethod.Get, "api/appointments");
        api.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await client.SendAsync(api)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task McpServer_ATokenForTheOtherApiOrGarbage_Is401()
    {
        var sample = fixture.Process;
        using var client = sample.CreateClient();
        var apiToken = await SampleSignIn.UserAccessTokenAsync(sample, "appointments:api", "openid read:appointments");

        // A good token for the sample's other API (it answers there) ...
        using var api = new HttpRequestMessage(HttpMethod.Get, "api/appointments");
        api.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
        using var apiAnswer = await client.SendAsync(api);
        apiAnswer.StatusCode.ShouldBe(HttpStatusCode.OK, await apiAnswer.Content.ReadAsStringAsync());

        // ... is not one for the MCP server: its audience is another.
        foreach (var token in (string[])[apiToken, "garbage"])
        {
            using var refused = await PostMcpAsync(client, token);
            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, token == apiToken ? "the other API's token" : "garbage");
            refused.Headers.WwwAuthenticate.ToString().ShouldContain("resource_metadata=");
        }
    }

    private static Task<HttpResponseMessage> PostMcpAsync(HttpClient client, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "mcp") { Content = new StringContent(Initialize, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client.SendAsync(request);
    }

    /// <summary>One sample process for these tests: over https (see <see cref="SampleSignIn"/>), the flag on and the connection promoted (walkthrough steps 1-3).</summary>
    public sealed class Sample : IAsyncLifetime
    {
        private SampleProcess? _process;

        public SampleProcess Process => _process ?? throw new InvalidOperationException("The sample has not started.");

        /// <summary>The MCP server's URL, which is also its audience and RFC 8707 resource.</summary>
        public string McpUrl => Process.BaseAddress + "mcp";

        public async Task InitializeAsync()
        {
            _process = await SampleProcess.StartAsync(https: true, "--DynReg:InitialTenantSettings:EnableDynamicClientRegistration=true");
            await SampleSignIn.PromoteConnectionAsync(_process);
        }

        public async Task DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }
        }
    }
}
