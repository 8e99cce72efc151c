using System.Net;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>CHECKLIST T10-T16, T18: the authorization_code grant at /oauth/token.</summary>
public sealed class CodeExchangeTests
{
    [Fact]
    public async Task Code_ConfidentialClient_TokensWithNoStore()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId, scope: $"openid email {ApiScope}", extra: ("audience", Api)));

        using var response = await RedeemAsync(host, client, code);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.Pragma.ToString().ShouldBe("no-cache");
        body.GetProperty("token_type").GetString().ShouldBe("Bearer");
        body.GetProperty("expires_in").GetInt64().ShouldBeGreaterThan(0);
        body.GetProperty("scope").GetString().ShouldBe($"openid email {ApiScope}");
        body.TryGetProperty("refresh_token", out _).ShouldBeFalse();
        var access = Jwt(body.GetProperty("access_token").GetString()!);
        access.Audiences.ShouldBe([Api, "https://localhost/userinfo"]);
        access.GetPayloadValue<string>("azp").ShouldBe(client.ClientId);
    }

    [Fact]
    public async Task Code_PublicClientWithPkce_Tokens()
    {
        await using var host = await StartAsync();
        var client = await RegisterPublicAsync(host);
        using var browser = host.NewBrowser();
        var verifier = NewVerifier();
        var code = await GetCodeAsync(browser, Code(client.ClientId, verifier));

        using var response = await RedeemAsync(host, client, code, verifier);

        (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("id_token").GetString().ShouldNotBeNullOrEmpty();
    }

    // T16: the code-flow ID token, checked against the JWKS; the nonce of the request.
    [Fact]
    public async Task Code_IdToken_SignedStandardClaimsAndNonce()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId, scope: "openid profile", extra: ("nonce", "code-nonce-1")));

        using var response = await RedeemAsync(host, client, code);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        var keys = new JsonWebKeySet(await host.Client.GetStringAsync("/.well-known/jwks.json"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(body.GetProperty("id_token").GetString()!, new TokenValidationParameters
        {
            ValidIssuer = TestHost.Issuer.AbsoluteUri,
            ValidAudience = client.ClientId,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        result.IsValid.ShouldBeTrue(result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        token.Subject.ShouldStartWith("auth0|");
        token.GetPayloadValue<string>("aud").ShouldBe(client.ClientId);
        token.GetPayloadValue<string>("nonce").ShouldBe("code-nonce-1");
        token.GetPayloadValue<string>("name").ShouldBe("Jane Doe");
        token.TryGetPayloadValue<string>("email", out _).ShouldBeFalse();
        token.TryGetPayloadValue<long>("exp", out _).ShouldBeTrue();
        token.TryGetPayloadValue<long>("iat", out _).ShouldBeTrue();
        token.TryGetPayloadValue<long>("auth_time", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Code_WithoutNonce_IdTokenWithoutNonce()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId));

        using var response = await RedeemAsync(host, client, code);

        var idToken = Jwt((await JsonAsync(response, HttpStatusCode.OK)).GetProperty("id_token").GetString()!);
        idToken.TryGetPayloadValue<string>("nonce", out _).ShouldBeFalse();
    }

    // T10: a code works once; its replay also revokes the refresh token it produced (RFC 6749 §10.5).
    [Fact]
    public async Task Code_Reused_InvalidGrantAndRefreshTokenRevoked()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{RedirectUri}}"],"grant_types":["authorization_code","refresh_token"]}""");
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId, scope: "openid offline_access"));
        using var first = await RedeemAsync(host, client, code);
        var refreshToken = (await JsonAsync(first, HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;

        using var replay = await RedeemAsync(host, client, code);
        using var refresh = await RefreshAsync(host, client, refreshToken);

        await ShouldBeTokenErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");
        await ShouldBeTokenErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Code_NotReused_RefreshTokenWorks()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{RedirectUri}}"],"grant_types":["authorization_code","refresh_token"]}""");
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId, scope: "openid offline_access"));
        using var first = await RedeemAsync(host, client, code);
        var refreshToken = (await JsonAsync(first, HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;

        using var refresh = await RefreshAsync(host, client, refreshToken);

        refresh.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // T10, SPEC §6: single use under concurrency; of 50 parallel redemptions exactly one succeeds.
    [Fact]
    public async Task Code_FiftyParallelRedemptions_ExactlyOneSucceeds()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId));

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => RedeemAsync(host, client, code))));

        try
        {
            responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
            foreach (var failed in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            {
                await ShouldBeTokenErrorAsync(failed, HttpStatusCode.BadRequest, "invalid_grant");
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    // T11: redirect_uri must be sent and equal the authorization request's.
    [Theory]
    [InlineData(null)]
    [InlineData("https://client.example.com/other")]
    [InlineData("https://client.example.com/callback/")]
    public async Task Code_RedirectUriMissingOrDifferent_InvalidGrant(string? redirectUri)
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host, $$"""{"redirect_uris":["{{RedirectUri}}","https://client.example.com/other"]}""");
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId));

        using var response = await RedeemAsync(host, client, code, redirectUri: redirectUri);

        await ShouldBeTokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    // T12: a code issued to another client.
    [Fact]
    public async Task Code_IssuedToAnotherClient_InvalidGrant()
    {
        await using var host = await StartAsync();
        var victim = await RegisterAsync(host);
        var attacker = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(victim.ClientId));

        using var stolen = await RedeemAsync(host, attacker, code);
        using var afterwards = await RedeemAsync(host, victim, code);

        await ShouldBeTokenErrorAsync(stolen, HttpStatusCode.BadRequest, "invalid_grant");

        // The code was presented by the wrong client: it is burnt for everyone.
        await ShouldBeTokenErrorAsync(afterwards, HttpStatusCode.BadRequest, "invalid_grant");
    }

    // T12: codes live 5 minutes (RFC 6749 §4.1.2 recommends at most 10).
    [Theory]
    [InlineData(299, HttpStatusCode.OK)]
    [InlineData(301, HttpStatusCode.BadRequest)]
    public async Task Code_Age_ValidUpToFiveMinutesThenInvalidGrant(int secondsLater, HttpStatusCode expected)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId));

        clock.Advance(TimeSpan.FromSeconds(secondsLater));
        using var response = await RedeemAsync(host, client, code);

        response.StatusCode.ShouldBe(expected);
        if (expected != HttpStatusCode.OK)
        {
            await ShouldBeTokenErrorAsync(response, expected, "invalid_grant");
        }
    }

    [Fact]
    public async Task Code_Unknown_InvalidGrant()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);

        using var response = await RedeemAsync(host, client, "not-a-code");

        await ShouldBeTokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Code_WrongClientSecret_InvalidClientAndCodeStillUsable()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId));

        using var wrong = await RedeemAsync(host, client with { ClientSecret = "wrong" }, code);
        using var right = await RedeemAsync(host, client, code);

        await ShouldBeTokenErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_client");
        right.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // T13: a challenge was sent; the verifier is missing or does not fit.
    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task Code_PkceVerifierMissingOrWrong_InvalidGrant(string? kind)
    {
        await using var host = await StartAsync();
        var client = await RegisterPublicAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId, NewVerifier()));

        using var response = await RedeemAsync(host, client, code, kind is null ? null : NewVerifier());

        await ShouldBeTokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Code_ConfidentialClientWithPkceVerifierMissing_InvalidGrant()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId, NewVerifier()));

        using var response = await RedeemAsync(host, client, code);

        await ShouldBeTokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    // T14: a verifier for a code that had no challenge is a downgrade attempt.
    [Fact]
    public async Task Code_VerifierWithoutChallenge_InvalidGrant()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId));

        using var response = await RedeemAsync(host, client, code, NewVerifier());

        await ShouldBeTokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    // T15: 43-128 characters of [A-Za-z0-9-._~]; the challenge is made from the same bad verifier,
    // so only the format rule can refuse it.
    [Theory]
    [InlineData(42, 'a')]
    [InlineData(129, 'a')]
    [InlineData(43, '+')]
    [InlineData(43, '/')]
    [InlineData(43, '=')]
    [InlineData(43, ' ')]
    public async Task Code_VerifierBadFormat_InvalidGrant(int length, char bad)
    {
        var verifier = new string('a', length - 1) + bad;
        await using var host = await StartAsync();
        var client = await RegisterPublicAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId, verifier));

        using var response = await RedeemAsync(host, client, code, verifier);

        await ShouldBeTokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Theory]
    [InlineData(43)]
    [InlineData(128)]
    public async Task Code_VerifierAtLengthLimits_Tokens(int length)
    {
        var verifier = string.Concat(Enumerable.Repeat("aZ0-._~", 20))[..length];
        await using var host = await StartAsync();
        var client = await RegisterPublicAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId, verifier));

        using var response = await RedeemAsync(host, client, code, verifier);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // T18: a deleted client's id is dead at /authorize and /oauth/token.
    [Fact]
    public async Task Client_Deleted_AuthorizeErrorPageAndTokenInvalidClient()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId));
        var token = await host.GetManagementTokenAsync("delete:clients");

        using var delete = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Delete, $"/api/v2/clients/{client.ClientId}", token));
        delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var authorize = await browser.GetAsync(Code(client.ClientId));
        using var redeem = await RedeemAsync(host, client, code);

        await ShouldBeErrorPageAsync(authorize, "invalid_client");
        await ShouldBeTokenErrorAsync(redeem, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Client_DeletedWhileOnLoginPage_CredentialPostRefused()
    {
        await using var host = await StartAsync();
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await OpenLoginPageAsync(browser, Code(client.ClientId));
        await host.Clients.DeleteAsync(client.ClientId, CancellationToken.None);

        using var login = await browser.PostCredentialsAsync(config, Email, Password);

        login.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await login.Content.ReadAsStringAsync()).ShouldNotContain("wresult");
    }
}
