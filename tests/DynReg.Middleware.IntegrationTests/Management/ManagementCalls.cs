using System.Net;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.IntegrationTests.Management;

/// <summary>Calls to <c>/api/v2</c> and checks of Auth0's answers, read from the wire with <see cref="JsonDocument"/>.</summary>
internal static class ManagementCalls
{
    public static async Task<HttpResponseMessage> SendAsync(this TestHost host, HttpMethod method, string path, string token, string? json = null)
        => await host.Client.SendAsync(TestHost.Authorized(method, path, token, json is null ? null : TestHost.Json(json)));

    /// <summary>Sends and returns the body text, asserting the status.</summary>
    public static async Task<string> SendExpectingAsync(this TestHost host, HttpStatusCode status, HttpMethod method, string path, string token, string? json = null)
    {
        using var response = await host.SendAsync(method, path, token, json);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return text;
    }

    /// <summary>Auth0's error shape, exactly: these four members and no other, and no-store.</summary>
    public static async Task ShouldBeAuth0ErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string message, string errorCode)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        response.Headers.CacheControl?.NoStore.ShouldBe(true);
        using var body = JsonDocument.Parse(text);
        var root = body.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["statusCode", "error", "message", "errorCode"], ignoreOrder: true);
        root.GetProperty("statusCode").GetInt32().ShouldBe((int)status);
        root.GetProperty("error").GetString().ShouldBe(ReasonPhrase(status));
        root.GetProperty("message").GetString().ShouldBe(message);
        root.GetProperty("errorCode").GetString().ShouldBe(errorCode);
    }

    /// <summary>Auth0's <c>400 invalid_body</c>; the detail inside the quotes varies.</summary>
    public static async Task ShouldBeInvalidBodyAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        using var body = JsonDocument.Parse(text);
        var root = body.RootElement;
        root.GetProperty("statusCode").GetInt32().ShouldBe(400);
        root.GetProperty("error").GetString().ShouldBe("Bad Request");
        root.GetProperty("message").GetString()!.ShouldStartWith("Payload validation error: '");
        root.GetProperty("errorCode").GetString().ShouldBe("invalid_body");
    }

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.Conflict => "Conflict",
        HttpStatusCode.RequestEntityTooLarge => "Payload Too Large",
        _ => status.ToString(),
    };

    /// <summary>Creates a connection through the API and returns its id.</summary>
    public static async Task<string> CreateConnectionAsync(this TestHost host, string token, string name, string strategy = "auth0")
    {
        var text = await host.SendExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v2/connections", token,
            $$"""{"name":"{{name}}","strategy":"{{strategy}}"}""");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("id").GetString()!;
    }
}

/// <summary>Management API tokens minted in the test, to vary one property at a time.</summary>
internal static class MintedTokens
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>The kid the server gives <see cref="TestHost.SigningKey"/>, read from its JWKS.</summary>
    public static async Task<string> ServerKidAsync(TestHost host)
    {
        using var jwks = JsonDocument.Parse(await host.Client.GetStringAsync("/.well-known/jwks.json"));
        return jwks.RootElement.GetProperty("keys")[0].GetProperty("kid").GetString()!;
    }

    public static string Mint(
        SecurityKey key,
        string algorithm = SecurityAlgorithms.RsaSha256,
        string? issuer = null,
        string? audience = null,
        DateTimeOffset? expires = null,
        string scope = "read:tenant_settings update:tenant_settings",
        bool withExpiry = true)
    {
        var now = DateTimeOffset.UtcNow;
        var expiry = expires ?? now.AddHours(1);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? TestHost.Issuer.AbsoluteUri,
            Audience = audience ?? TestHost.ManagementAudience,
            IssuedAt = expiry.AddHours(-1).UtcDateTime,
            Expires = withExpiry ? expiry.UtcDateTime : null,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key, algorithm),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "minted@clients",
                ["azp"] = "minted",
                ["scope"] = scope,
                ["gty"] = "client-credentials",
            },
        });
    }

    /// <summary>A token with <c>alg: none</c> and an empty signature, otherwise valid.</summary>
    public static string Unsigned(string kid)
    {
        var now = DateTimeOffset.UtcNow;
        var header = $$"""{"alg":"none","typ":"at+jwt","kid":"{{kid}}"}""";
        var payload = $$"""
            {"iss":"{{TestHost.Issuer.AbsoluteUri}}","aud":"{{TestHost.ManagementAudience}}","sub":"minted@clients","scope":"read:tenant_settings update:tenant_settings","iat":{{now.ToUnixTimeSeconds()}},"exp":{{now.AddHours(1).ToUnixTimeSeconds()}}}
            """;
        return Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(header)) + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload.Trim())) + ".";
    }
}
