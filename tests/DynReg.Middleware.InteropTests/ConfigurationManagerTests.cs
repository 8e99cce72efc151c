using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.InteropTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.InteropTests;

/// <summary>
/// Microsoft.IdentityModel.Protocols.OpenIdConnect, what JwtBearer and the OIDC handler use
/// underneath: its ConfigurationManager reads our discovery document and JWKS over https, and
/// the keys it finds validate the ID token and the access token we issue.
/// </summary>
public sealed class ConfigurationManagerTests : IAsyncLifetime
{
    private const string RedirectUri = "https://client.example.com/callback";

    private KestrelProvider _provider = null!;
    private HttpClient _client = null!;
    private ConfigurationManager<OpenIdConnectConfiguration> _manager = null!;

    public async Task InitializeAsync()
    {
        _provider = await KestrelProvider.StartAsync();
        _client = _provider.NewClient();
        _manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            _provider.Authority + ".well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(_client) { RequireHttps = true });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task GetConfiguration_DiscoveryAndJwksOverHttps_IssuerEndpointsAndSigningKeys()
    {
        var configuration = await _manager.GetConfigurationAsync(CancellationToken.None);

        configuration.Issuer.ShouldBe(_provider.Authority);
        configuration.AuthorizationEndpoint.ShouldBe(_provider.Authority + "authorize");
        configuration.TokenEndpoint.ShouldBe(_provider.Authority + "oauth/token");
        configuration.JwksUri.ShouldBe(_provider.Authority + ".well-known/jwks.json");
        configuration.IdTokenSigningAlgValuesSupported.ShouldContain(SecurityAlgorithms.RsaSha256);
        configuration.SigningKeys.ShouldNotBeEmpty();
        configuration.SigningKeys.ShouldAllBe(k => k is RsaSecurityKey || k is JsonWebKey || k is X509SecurityKey);
    }

    [Fact]
    public async Task ValidateToken_IdAndAccessTokenFromTheCodeFlow_ValidWithTheDiscoveredKeys()
    {
        var (clientId, idToken, accessToken) = await SignInAsync();
        var configuration = await _manager.GetConfigurationAsync(CancellationToken.None);
        var handler = new JsonWebTokenHandler();

        var id = await handler.ValidateTokenAsync(idToken, Parameters(configuration, clientId));
        var access = await handler.ValidateTokenAsync(accessToken, Parameters(configuration, KestrelProvider.Api));

        id.IsValid.ShouldBeTrue(id.Exception?.ToString());
        id.Claims["email"].ShouldBe(KestrelProvider.Email);
        access.IsValid.ShouldBeTrue(access.Exception?.ToString());
        access.Claims["sub"].ShouldBe(id.Claims["sub"]);
        access.Claims["azp"].ShouldBe(clientId);
        ((string)access.Claims["scope"]).Split(' ').ShouldContain(KestrelProvider.ApiScope);
    }

    [Fact]
    public async Task ValidateToken_ValidationDrivenByTheConfigurationManager_ValidAndWrongAudienceRefused()
    {
        var (clientId, idToken, _) = await SignInAsync();
        var handler = new JsonWebTokenHandler();

        // The handler asks the manager for the issuer and keys itself, as JwtBearer does.
        var valid = await handler.ValidateTokenAsync(idToken, new TokenValidationParameters { ConfigurationManager = _manager, ValidAudience = clientId });
        var wrongAudience = await handler.ValidateTokenAsync(idToken, new TokenValidationParameters { ConfigurationManager = _manager, ValidAudience = "someone-else" });

        valid.IsValid.ShouldBeTrue(valid.Exception?.ToString());
        wrongAudience.IsValid.ShouldBeFalse();
        wrongAudience.Exception.ShouldBeOfType<SecurityTokenInvalidAudienceException>();
    }

    [Fact]
    public async Task ValidateToken_SignedWithAKeyNotInTheJwks_Refused()
    {
        var configuration = await _manager.GetConfigurationAsync(CancellationToken.None);
        using var other = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _provider.Authority,
            Audience = KestrelProvider.Api,
            Claims = new Dictionary<string, object> { ["sub"] = "auth0|forged" },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(other) { KeyId = "not-ours" }, SecurityAlgorithms.RsaSha256),
        });

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(forged, Parameters(configuration, KestrelProvider.Api));

        result.IsValid.ShouldBeFalse();
        result.Exception.ShouldBeAssignableTo<SecurityTokenSignatureKeyNotFoundException>();
    }

    private static TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration, string audience) => new()
    {
        ValidIssuer = configuration.Issuer,
        ValidAudience = audience,
        IssuerSigningKeys = configuration.SigningKeys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
    };

    /// <summary>Registers a client, signs the user in (code + PKCE, audience = the API), redeems the code.</summary>
    private async Task<(string ClientId, string IdToken, string AccessToken)> SignInAsync()
    {
        var (clientId, clientSecret) = await _provider.RegisterAsync("Interop Token App", RedirectUri);
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = new Uri(_provider.Issuer, "authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = "openid profile email " + KestrelProvider.ApiScope,
            ["audience"] = KestrelProvider.Api,
            ["state"] = "state-1",
            ["nonce"] = "nonce-1",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        }.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value))));

        using var browser = _provider.NewBrowser();
        using var answer = await UserAgent.SignInAsync(browser, authorize);
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(UserAgent.Location(answer).Query)["code"].ToString();
        code.ShouldNotBeNullOrEmpty();

        using var response = await _client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        using var body = JsonDocument.Parse(text);
        return (clientId, body.RootElement.GetProperty("id_token").GetString()!, body.RootElement.GetProperty("access_token").GetString()!);
    }
}
