using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using DynReg.Middleware.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.IntegrationTests.Tokens;

/// <summary>
/// The access token as an API sees it: verified only with what <c>/.well-known/jwks.json</c>
/// publishes (J3, J5), and carrying Auth0's machine-to-machine claims.
/// </summary>
public sealed class AccessTokenTests
{
    private static async Task<JsonWebKeySet> FetchJwksAsync(TestHost host)
    {
        using var response = await host.Client.GetAsync("/.well-known/jwks.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return new JsonWebKeySet(await response.Content.ReadAsStringAsync());
    }

    private static TokenValidationParameters Parameters(IEnumerable<SecurityKey> keys) => new()
    {
        ValidIssuer = TestHost.Issuer.AbsoluteUri,
        ValidAudience = TestHost.ManagementAudience,
        IssuerSigningKeys = keys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ValidTypes = ["at+jwt"],
        TryAllIssuerSigningKeys = false, // the header's kid must resolve in the JWKS
        RequireSignedTokens = true,
        RequireExpirationTime = true,
    };

    private static async Task<(string Token, long ExpiresIn)> GetTokenAsync(TestHost host, string? scope = null)
    {
        using var response = await host.PostFormAsync(scope is null ? TokenEndpoint.ManagementClientPost() : TokenEndpoint.ManagementClientPost(("scope", scope)));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = await response.ReadJsonAsync();
        return (body.RootElement.GetProperty("access_token").GetString()!, body.RootElement.GetProperty("expires_in").GetInt64());
    }

    [Fact]
    public async Task AccessToken_VerifiedWithPublishedJwks_IsValidRs256WithResolvableKid()
    {
        await using var host = await TestHost.StartAsync();
        var jwks = await FetchJwksAsync(host);
        var (token, _) = await GetTokenAsync(host);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(jwks.GetSigningKeys()));

        result.IsValid.ShouldBeTrue(result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        jwt.Alg.ShouldBe("RS256");
        jwt.Typ.ShouldBe("at+jwt");
        jwt.Kid.ShouldNotBeNullOrEmpty();
        jwks.Keys.Select(k => k.Kid).ShouldContain(jwt.Kid);
        jwks.Keys.Single(k => k.Kid == jwt.Kid).Kty.ShouldBe("RSA");
    }

    // The check above can fail: the same token does not verify against a key the server never used.
    [Fact]
    public async Task AccessToken_VerifiedWithAnotherKeyUnderTheSameKid_IsInvalid()
    {
        await using var host = await TestHost.StartAsync();
        var jwks = await FetchJwksAsync(host);
        var (token, _) = await GetTokenAsync(host);
        using var other = RSA.Create(2048);
        var impostor = new RsaSecurityKey(other.ExportParameters(false)) { KeyId = jwks.Keys[0].Kid };

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters([impostor]));

        result.IsValid.ShouldBeFalse();
    }

    [Fact]
    public async Task AccessToken_Claims_AreAuth0MachineToMachineClaims()
    {
        await using var host = await TestHost.StartAsync();
        var (token, expiresIn) = await GetTokenAsync(host, "read:clients update:connections");

        var jwt = new JsonWebToken(token);
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
        var claims = payload.RootElement;

        claims.GetProperty("iss").GetString().ShouldBe("https://localhost/");
        claims.GetProperty("sub").GetString().ShouldBe(TestHost.ManagementClientId + "@clients");
        claims.GetProperty("aud").GetString().ShouldBe("https://localhost/api/v2/");
        claims.GetProperty("azp").GetString().ShouldBe(TestHost.ManagementClientId);
        claims.GetProperty("scope").GetString().ShouldBe("read:clients update:connections");
        claims.GetProperty("gty").GetString().ShouldBe("client-credentials");
        claims.GetProperty("jti").GetString().ShouldNotBeNullOrWhiteSpace();
        var iat = claims.GetProperty("iat").GetInt64();
        var exp = claims.GetProperty("exp").GetInt64();
        (exp - iat).ShouldBe(expiresIn);
        iat.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task AccessToken_TwoIssues_HaveDifferentJti()
    {
        await using var host = await TestHost.StartAsync();

        var (first, _) = await GetTokenAsync(host);
        var (second, _) = await GetTokenAsync(host);

        new JsonWebToken(first).Id.ShouldNotBe(new JsonWebToken(second).Id);
    }
}
