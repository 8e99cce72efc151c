using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using DynReg.Middleware.IntegrationTests.SignIn;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Testing;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace DynReg.Middleware.IntegrationTests.Hosting;

/// <summary>
/// The wire formats are fixed by the specifications (RFC 6749 §5, RFC 7591 §3.2, OpenID Connect
/// Core §5.3, Auth0's Management API and Lock), not by the host: a host that renames JSON members
/// or turns reflection serialisation off for its own endpoints changes none of our answers.
/// </summary>
public sealed class HostJsonOptionsTests
{
    private const string FirstParty = "first-party-web";

    // Values each host draws at random or from its clock; everything else must match byte for byte.
    private static readonly HashSet<string> PerHostValues =
        ["client_id", "client_secret", "client_id_issued_at", "sub", "created_at", "updated_at", "last_used_at", "state", "_csrf", "registration_access_token", "id"];

    [Fact]
    public async Task Answers_HostWithKebabCaseNamingPolicies_SameAsDefaultHost()
    {
        var expected = await AnswersAsync(_ => { });

        var actual = await AnswersAsync(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.KebabCaseLower;
        });

        ShouldMatch(actual, expected);
    }

    [Fact]
    public async Task Answers_HostWithoutReflectionSerialisation_SameAsDefaultHost()
    {
        var expected = await AnswersAsync(_ => { });

        // An empty resolver: the host's JSON options know no type at all, as in a trimmed app
        // whose own context does not list ours.
        var actual = await AnswersAsync(o => o.SerializerOptions.TypeInfoResolver = JsonTypeInfoResolver.Combine());

        ShouldMatch(actual, expected);
    }

    private static void ShouldMatch(IReadOnlyList<string> actual, IReadOnlyList<string> expected)
    {
        actual.Count.ShouldBe(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            actual[i].ShouldBe(expected[i]);
        }
    }

    /// <summary>One representative answer per surface writer, as "label status content-type body".</summary>
    private static async Task<IReadOnlyList<string>> AnswersAsync(Action<JsonOptions> hostJson)
    {
        await using var host = await SignInKit.StartAsync(
            build: b => b.AddClient(new FirstPartyClientOptions
            {
                ClientId = FirstParty,
                ClientSecret = "first-party-web-secret-0123456789",
                GrantTypes = ["authorization_code"],
                RedirectUris = [SignInKit.RedirectUri],
            }),
            services: s => s.ConfigureHttpJsonOptions(hostJson));
        var answers = new List<string>();

        async Task Record(string label, Func<Task<HttpResponseMessage>> send)
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            answers.Add($"{label} {(int)response.StatusCode} {response.Content.Headers.ContentType} {Mask(body)}");
        }

        await Record("register-201", () => host.RegisterAsync($$"""{"client_name":"Partner App","redirect_uris":["{{SignInKit.RedirectUri}}"]}"""));
        await Record("register-400", () => host.RegisterAsync("""{"redirect_uris":["http://app.example.com/cb"]}"""));
        await Record("discovery", () => host.Client.GetAsync("/.well-known/openid-configuration"));
        await Record("token-400", () => SignInKit.TokenAsync(host, ("grant_type", "urn:example:unknown"), ("client_id", FirstParty)));

        var client = await SignInKit.RegisterAsync(host);
        string accessToken;
        using (var browser = host.NewBrowser())
        {
            var location = await SignInKit.SignInAsync(browser, SignInKit.Implicit(client.ClientId));
            accessToken = Browser.ResponseParameters(location, fragment: true)["access_token"];
        }

        await Record("userinfo", () => host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/userinfo") { Headers = { Authorization = new("Bearer", accessToken) } }));
        await Record("userinfo-401", () => host.Client.GetAsync("/userinfo"));

        var token = await host.GetManagementTokenAsync();
        await Record("management-client", () => host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, $"/api/v2/clients/{FirstParty}", token)));
        await Record("management-404", () => host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/api/v2/clients/no-such-client", token)));
        await Record("management-401", () => host.Client.GetAsync("/api/v2/clients"));
        await Record("management-clients", () => host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/api/v2/clients?include_totals=true&per_page=2", token)));
        await Record("management-connection-201", () => host.Client.SendAsync(TestHost.Authorized(HttpMethod.Post, "/api/v2/connections", token,
            TestHost.Json("""{"name":"Partner-Staff","strategy":"auth0","enabled_clients":["first-party-web"],"options":{"brute_force_protection":true,"mfa":{"active":false}}}"""))));
        await Record("management-connections", () => host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/api/v2/connections?include_totals=true", token)));
        await Record("management-tenant", () => host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/api/v2/tenants/settings", token)));
        await Record("management-400", () => host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, "/api/v2/tenants/settings", token, TestHost.Json("""{"flags":{"enable_dynamic_client_registration":"yes"}}"""))));

        await Record("lock-client", () => host.Client.GetAsync($"/client/{FirstParty}.js"));
        await Record("lock-tenant", () => host.Client.GetAsync("/info-v1.js"));
        await Record("lock-ssodata", () => host.Client.GetAsync("/user/ssodata"));
        await Record("lock-challenge", () => host.Client.PostAsync("/usernamepassword/challenge", TestHost.Json("{}")));
        await Record("lock-session-missing", () => host.Client.PostAsync("/usernamepassword/login", TestHost.Json("""{"state":"no-such-transaction"}""")));
        using (var browser = host.NewBrowser())
        {
            var config = await SignInKit.OpenLoginPageAsync(browser, SignInKit.Code(FirstParty));
            await Record("lock-wrong-password", () => browser.PostCredentialsAsync(config, SignInKit.Email, "not the password"));
        }

        return answers;
    }

    /// <summary>The body with per-host values replaced; JSONP keeps its wrapper, other text stays as it is.</summary>
    private static string Mask(string body)
    {
        var open = body.IndexOf('(', StringComparison.Ordinal);
        var (prefix, json, suffix) = body.StartsWith("Auth0.", StringComparison.Ordinal) && open > 0 && body.EndsWith(");", StringComparison.Ordinal)
            ? (body[..(open + 1)], body[(open + 1)..^2], ");")
            : (string.Empty, body, string.Empty);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return body;
        }

        MaskIn(node);

        // Compact, in the order the server wrote the members: a renamed or reordered member shows.
        return prefix + node?.ToJsonString() + suffix;
    }

    private static void MaskIn(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (PerHostValues.Contains(name) && obj[name] is JsonValue)
                    {
                        obj[name] = "<per-host>";
                    }
                    else
                    {
                        MaskIn(obj[name]);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    MaskIn(item);
                }

                break;
        }
    }
}
