using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Tokens;

/// <summary>Requests to <c>/oauth/token</c> and checks of its RFC 6749 §5 answers, read from the wire.</summary>
internal static class TokenEndpoint
{
    public const string Path = "/oauth/token";

    /// <summary>A form body; the same name may appear twice, to test repeated parameters.</summary>
    public static FormUrlEncodedContent Form(params (string Name, string Value)[] parameters)
        => new(parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)));

    /// <summary>The management client's client_credentials request, credentials in the body.</summary>
    public static (string, string)[] ManagementClientPost(params (string, string)[] extra) =>
    [
        ("grant_type", "client_credentials"),
        ("client_id", TestHost.ManagementClientId),
        ("client_secret", TestHost.ManagementClientSecret),
        ("audience", TestHost.ManagementAudience),
        .. extra,
    ];

    public static Task<HttpResponseMessage> PostFormAsync(this TestHost host, params (string Name, string Value)[] parameters)
        => host.Client.PostAsync(Path, Form(parameters));

    /// <summary>POSTs a form with HTTP Basic client authentication (RFC 6749 §2.3.1: id and secret form-encoded first).</summary>
    public static Task<HttpResponseMessage> PostFormWithBasicAsync(this TestHost host, string clientId, string secret, params (string Name, string Value)[] parameters)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Form(parameters) };
        request.Headers.Authorization = Basic(clientId, secret);
        return host.Client.SendAsync(request);
    }

    public static AuthenticationHeaderValue Basic(string clientId, string secret)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(secret))));

    public static async Task<JsonDocument> ReadJsonAsync(this HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    /// <summary>
    /// RFC 6749 §5.2: the status, <c>application/json</c>, <c>no-store</c>, and a body holding
    /// <c>error</c> (and at most a string <c>error_description</c>). Returns the description.
    /// </summary>
    public static async Task<string?> ShouldBeOAuthErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string error)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        response.Headers.CacheControl?.NoStore.ShouldBe(true);
        using var body = await response.ReadJsonAsync();
        var root = body.RootElement;
        root.ValueKind.ShouldBe(JsonValueKind.Object);
        root.GetProperty("error").GetString().ShouldBe(error);
        foreach (var property in root.EnumerateObject())
        {
            property.Name.ShouldBeOneOf("error", "error_description");
        }

        if (!root.TryGetProperty("error_description", out var description))
        {
            return null;
        }

        description.ValueKind.ShouldBe(JsonValueKind.String);
        return description.GetString();
    }

    /// <summary>The access token of a 200 answer.</summary>
    public static async Task<string> ShouldBeTokenAsync(this HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var body = await response.ReadJsonAsync();
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Registers a client through <c>POST /oidc/register</c>; the secret is null for public clients.</summary>
    public static async Task<(string ClientId, string? Secret)> RegisterClientAsync(this TestHost host, string tokenEndpointAuthMethod = "client_secret_post")
    {
        using var response = await host.RegisterAsync(
            $$"""{"client_name":"Dynamic","redirect_uris":["https://app.example.com/callback"],"token_endpoint_auth_method":"{{tokenEndpointAuthMethod}}"}""");
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var body = await response.ReadJsonAsync();
        var secret = body.RootElement.TryGetProperty("client_secret", out var value) ? value.GetString() : null;
        return (body.RootElement.GetProperty("client_id").GetString()!, secret);
    }
}
