using System.Buffers.Text;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using JsonWebKeySet = Microsoft.IdentityModel.Tokens.JsonWebKeySet;

namespace DynReg.Middleware.IntegrationTests.Discovery;

/// <summary>CHECKLIST rows J1-J3, J6: the key set at <c>jwks_uri</c>, read as raw JSON.</summary>
public sealed class JwksTests
{
    // Generating RSA keys is slow: made once for the class.
    private static readonly RSA PreviousKey = RSA.Create(2048);
    private static readonly RSA OlderKey = RSA.Create(2048);
    private static readonly RSA UnpublishedKey = RSA.Create(2048);

    private static async Task<string> GetJwksJsonAsync(TestHost host)
    {
        using var discovery = JsonDocument.Parse(await host.Client.GetStringAsync("/.well-known/openid-configuration"));
        using var response = await host.Client.GetAsync(discovery.RootElement.GetProperty("jwks_uri").GetString());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return await response.Content.ReadAsStringAsync();
    }

    private static JsonElement[] Keys(JsonDocument jwks) => [.. jwks.RootElement.GetProperty("keys").EnumerateArray()];

    /// <summary>RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace, base64url.</summary>
    private static string Thumbprint(string e, string n)
        => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"e":"{{e}}","kty":"RSA","n":"{{n}}"}""")));

    private static string Thumbprint(RSA key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return Thumbprint(Base64Url.EncodeToString(parameters.Exponent), Base64Url.EncodeToString(parameters.Modulus));
    }

    [Fact]
    public async Task Jwks_FetchedFromJwksUri_IsKeySetWhereEveryKeyHasKty()
    {
        await using var host = await TestHost.StartAsync();

        using var jwks = JsonDocument.Parse(await GetJwksJsonAsync(host));

        jwks.RootElement.ValueKind.ShouldBe(JsonValueKind.Object);
        var keys = Keys(jwks);
        keys.ShouldNotBeEmpty();
        foreach (var key in keys)
        {
            key.GetProperty("kty").GetString().ShouldBe("RSA");
            key.GetProperty("use").GetString().ShouldBe("sig");
            key.GetProperty("alg").GetString().ShouldBe("RS256");
        }
    }

    [Fact]
    public async Task Jwks_EveryKey_HasNoPrivateOrSymmetricMember()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddSigningKey(PreviousKey));

        using var jwks = JsonDocument.Parse(await GetJwksJsonAsync(host));

        var keys = Keys(jwks);
        keys.Length.ShouldBe(2);
        foreach (var key in keys)
        {
            var members = key.EnumerateObject().Select(m => m.Name).ToArray();
            members.ShouldContain("n");
            members.ShouldContain("e");
            foreach (var secret in new[] { "d", "p", "q", "dp", "dq", "qi", "k", "oth" })
            {
                members.ShouldNotContain(secret);
            }
        }
    }

    [Fact]
    public async Task Jwks_SeveralKeys_EachHasItsOwnKid()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddSigningKey(PreviousKey).AddSigningKey(OlderKey));

        using var jwks = JsonDocument.Parse(await GetJwksJsonAsync(host));

        var kids = Keys(jwks).Select(k => k.GetProperty("kid").GetString()).ToArray();
        kids.Length.ShouldBe(3);
        kids.ShouldAllBe(kid => !string.IsNullOrEmpty(kid));
        kids.ShouldBeUnique();
    }

    [Fact]
    public async Task Jwks_SameKeyAddedTwice_PublishedOnce()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddSigningKey(PreviousKey).AddSigningKey(TestHost.SigningKey));

        using var jwks = JsonDocument.Parse(await GetJwksJsonAsync(host));

        Keys(jwks).Select(k => k.GetProperty("kid").GetString()).ShouldBe([Thumbprint(TestHost.SigningKey), Thumbprint(PreviousKey)]);
    }

    [Fact]
    public async Task Jwks_KeysAddedWithBuilder_AllPublishedWithRfc7638ThumbprintAsKid()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddSigningKey(PreviousKey).AddSigningKey(OlderKey));

        using var jwks = JsonDocument.Parse(await GetJwksJsonAsync(host));

        var keys = Keys(jwks);
        foreach (var key in keys)
        {
            key.GetProperty("kid").GetString().ShouldBe(Thumbprint(key.GetProperty("e").GetString()!, key.GetProperty("n").GetString()!));
        }

        // The current key first, then the others in the order they were added.
        keys.Select(k => k.GetProperty("kid").GetString()).ShouldBe([Thumbprint(TestHost.SigningKey), Thumbprint(PreviousKey), Thumbprint(OlderKey)]);
    }

    [Fact]
    public async Task Jwks_TokenSignedWithCurrentKey_ValidatesAgainstServedKeysAndItsKidResolves()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddSigningKey(PreviousKey));
        var current = host.Services.GetRequiredService<SigningKeyRing>().Current;
        var token = CreateToken(current);

        var keySet = new JsonWebKeySet(await GetJwksJsonAsync(host));
        var result = await ValidateAsync(token, keySet);

        result.IsValid.ShouldBeTrue(result.Exception?.Message);
        var kid = new JsonWebToken(token).Kid;
        kid.ShouldBe(Thumbprint(TestHost.SigningKey));
        keySet.Keys.Count(k => k.Kid == kid).ShouldBe(1);
    }

    [Fact]
    public async Task Jwks_TokenSignedWithPreviousKey_StillValidates()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddSigningKey(PreviousKey));
        var previous = host.Services.GetRequiredService<SigningKeyRing>().ValidationKeys[1];

        var result = await ValidateAsync(
            CreateToken(new SigningCredentials(previous, SecurityAlgorithms.RsaSha256)),
            new JsonWebKeySet(await GetJwksJsonAsync(host)));

        result.IsValid.ShouldBeTrue(result.Exception?.Message);
    }

    [Fact]
    public async Task Jwks_TokenSignedWithUnpublishedKey_DoesNotValidate()
    {
        await using var host = await TestHost.StartAsync();

        var result = await ValidateAsync(
            CreateToken(new SigningCredentials(new RsaSecurityKey(UnpublishedKey) { KeyId = Thumbprint(UnpublishedKey) }, SecurityAlgorithms.RsaSha256)),
            new JsonWebKeySet(await GetJwksJsonAsync(host)));

        result.IsValid.ShouldBeFalse();
    }

    private static string CreateToken(SigningCredentials credentials) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = TestHost.Issuer.AbsoluteUri,
        Audience = "https://api.example.com/",
        Subject = new ClaimsIdentity([new Claim("sub", "auth0|user")]),
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = credentials,
    });

    private static Task<TokenValidationResult> ValidateAsync(string token, JsonWebKeySet keySet)
        => new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = TestHost.Issuer.AbsoluteUri,
            ValidAudience = "https://api.example.com/",
            IssuerSigningKeys = keySet.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
}
