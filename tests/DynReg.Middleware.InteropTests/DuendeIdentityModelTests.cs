using System.Net;
using System.Security.Cryptography;
using System.Text;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using DynReg.Middleware.InteropTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.InteropTests;

/// <summary>
/// Duende.IdentityModel, a client library nobody here wrote, against the provider on Kestrel
/// over TLS: discovery under its default policy, registration, client credentials, the code
/// flow with PKCE, userinfo.
/// </summary>
public sealed class DuendeIdentityModelTests : IAsyncLifetime
{
    private const string RedirectUri = "https://client.example.com/callback";

    private KestrelProvider _provider = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _provider = await KestrelProvider.StartAsync();
        _client = _provider.NewClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task GetDiscoveryDocument_DefaultPolicy_SucceedsWithKeys()
    {
        var disco = await _client.GetDiscoveryDocumentAsync(_provider.Authority);

        disco.IsError.ShouldBeFalse($"{disco.ErrorType}: {disco.Error}");
        disco.Issuer.ShouldBe(_provider.Authority);
        disco.AuthorizeEndpoint.ShouldBe(_provider.Authority + "authorize");
        disco.TokenEndpoint.ShouldBe(_provider.Authority + "oauth/token");
        disco.UserInfoEndpoint.ShouldBe(_provider.Authority + "userinfo");
        disco.RegistrationEndpoint.ShouldBe(_provider.Authority + "oidc/register");
        disco.CodeChallengeMethodsSupported.ShouldContain("S256");
        disco.KeySet.ShouldNotBeNull();
        disco.KeySet.Keys.ShouldNotBeEmpty();
        disco.KeySet.Keys.ShouldAllBe(k => k.Kty == "RSA" && !string.IsNullOrEmpty(k.Kid));
    }

    [Fact]
    public async Task RegisterClient_LibraryDocument_201ParsedByTheLibrary()
    {
        var disco = await DiscoverAsync();

        var registration = await _client.RegisterClientAsync(new DynamicClientRegistrationRequest
        {
            Address = disco.RegistrationEndpoint,
            Document = new DynamicClientRegistrationDocument
            {
                ClientName = "Interop App",
                RedirectUris = { new Uri(RedirectUri) },
                GrantTypes = { OidcConstants.GrantTypes.AuthorizationCode },
                ResponseTypes = { OidcConstants.ResponseTypes.Code },
                TokenEndpointAuthenticationMethod = OidcConstants.EndpointAuthenticationMethods.BasicAuthentication,
            },
        });

        registration.IsError.ShouldBeFalse($"{registration.HttpStatusCode}: {registration.Error} {registration.Raw}");
        registration.HttpStatusCode.ShouldBe(HttpStatusCode.Created);
        registration.ClientId.ShouldNotBeNullOrEmpty();
        registration.ClientSecret.ShouldNotBeNullOrEmpty();
        registration.ClientSecretExpiresAt.ShouldBe(0);
        registration.ClientIdIssuedAt.ShouldNotBeNull();
        registration.TryGet("client_name").ShouldBe("Interop App");
        registration.TryGet("token_endpoint_auth_method").ShouldBe("client_secret_basic");
    }

    [Theory]
    [InlineData(ClientCredentialStyle.AuthorizationHeader)]
    [InlineData(ClientCredentialStyle.PostBody)]
    public async Task RequestClientCredentialsToken_ManagementClientWithAudience_BearerTokenForTheManagementApi(ClientCredentialStyle style)
    {
        var disco = await DiscoverAsync();

        var token = await _client.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = KestrelProvider.ManagementClientId,
            ClientSecret = KestrelProvider.ManagementClientSecret,
            ClientCredentialStyle = style,
            Parameters = { { "audience", _provider.ManagementAudience } },
        });

        token.IsError.ShouldBeFalse(token.Error);
        token.TokenType.ShouldBe("Bearer");
        token.ExpiresIn.ShouldBeGreaterThan(0);
        new JsonWebToken(token.AccessToken).Audiences.ShouldBe([_provider.ManagementAudience]);

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v2/tenants/settings");
        request.SetBearerToken(token.AccessToken!);
        using var settings = await _client.SendAsync(request);
        settings.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AuthorizationCodeWithPkce_LibraryUrlLoginAndExchange_TokensAndUserInfo()
    {
        var disco = await DiscoverAsync();
        var registration = await _client.RegisterClientAsync(new DynamicClientRegistrationRequest
        {
            Address = disco.RegistrationEndpoint,
            Document = new DynamicClientRegistrationDocument
            {
                ClientName = "Interop Code App",
                RedirectUris = { new Uri(RedirectUri) },
                GrantTypes = { OidcConstants.GrantTypes.AuthorizationCode },
                ResponseTypes = { OidcConstants.ResponseTypes.Code },
                TokenEndpointAuthenticationMethod = OidcConstants.EndpointAuthenticationMethods.PostBody,
            },
        });
        registration.IsError.ShouldBeFalse(registration.Raw);

        var verifier = CryptoRandom.CreateUniqueId(32);
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = CryptoRandom.CreateUniqueId(16);
        var nonce = CryptoRandom.CreateUniqueId(16);
        var authorize = new RequestUrl(disco.AuthorizeEndpoint!).CreateAuthorizeUrl(
            clientId: registration.ClientId!,
            responseType: OidcConstants.ResponseTypes.Code,
            scope: "openid profile email",
            redirectUri: RedirectUri,
            state: state,
            nonce: nonce,
            codeChallenge: challenge,
            codeChallengeMethod: OidcConstants.CodeChallengeMethods.Sha256,
            extra: new Parameters { { "audience", KestrelProvider.Api } });

        using var browser = _provider.NewBrowser();
        using var answer = await UserAgent.SignInAsync(browser, new Uri(authorize));
        var callback = new AuthorizeResponse(UserAgent.Location(answer).AbsoluteUri);
        callback.IsError.ShouldBeFalse(callback.Error);
        callback.State.ShouldBe(state);
        callback.Code.ShouldNotBeNullOrEmpty();

        var tokens = await _client.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = registration.ClientId!,
            ClientSecret = registration.ClientSecret,
            Code = callback.Code,
            RedirectUri = RedirectUri,
            CodeVerifier = verifier,
        });

        tokens.IsError.ShouldBeFalse($"{tokens.HttpStatusCode}: {tokens.Error} {tokens.ErrorDescription}");
        tokens.TokenType.ShouldBe("Bearer");
        var idToken = new JsonWebToken(tokens.IdentityToken);
        idToken.Issuer.ShouldBe(_provider.Authority);
        idToken.Audiences.ShouldBe([registration.ClientId!]);
        idToken.GetClaim("nonce").Value.ShouldBe(nonce);
        idToken.GetClaim("email").Value.ShouldBe(KestrelProvider.Email);
        new JsonWebToken(tokens.AccessToken).Audiences.ShouldContain(KestrelProvider.Api);

        var userInfo = await _client.GetUserInfoAsync(new UserInfoRequest { Address = disco.UserInfoEndpoint, Token = tokens.AccessToken });

        userInfo.IsError.ShouldBeFalse($"{userInfo.HttpStatusCode}: {userInfo.Error}");
        userInfo.Claims.ShouldContain(c => c.Type == "sub" && c.Value == idToken.Subject);
        userInfo.Claims.ShouldContain(c => c.Type == "email" && c.Value == KestrelProvider.Email);
        userInfo.Claims.ShouldContain(c => c.Type == "name" && c.Value == KestrelProvider.UserName);
    }

    [Fact]
    public async Task RequestAuthorizationCodeToken_WrongVerifier_LibraryReportsInvalidGrant()
    {
        var disco = await DiscoverAsync();
        var (clientId, clientSecret) = await _provider.RegisterAsync("Interop PKCE App", RedirectUri);
        var verifier = CryptoRandom.CreateUniqueId(32);
        var authorize = new RequestUrl(disco.AuthorizeEndpoint!).CreateAuthorizeUrl(
            clientId: clientId,
            responseType: OidcConstants.ResponseTypes.Code,
            scope: "openid",
            redirectUri: RedirectUri,
            state: "s",
            codeChallenge: Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            codeChallengeMethod: OidcConstants.CodeChallengeMethods.Sha256);
        using var browser = _provider.NewBrowser();
        using var answer = await UserAgent.SignInAsync(browser, new Uri(authorize));
        var callback = new AuthorizeResponse(UserAgent.Location(answer).AbsoluteUri);

        var tokens = await _client.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = clientId,
            ClientSecret = clientSecret,
            Code = callback.Code!,
            RedirectUri = RedirectUri,
            CodeVerifier = CryptoRandom.CreateUniqueId(32),
        });

        tokens.IsError.ShouldBeTrue();
        tokens.HttpStatusCode.ShouldBe(HttpStatusCode.BadRequest);
        tokens.Error.ShouldBe(OidcConstants.TokenErrors.InvalidGrant);
    }

    private async Task<DiscoveryDocumentResponse> DiscoverAsync()
    {
        var disco = await _client.GetDiscoveryDocumentAsync(_provider.Authority);
        disco.IsError.ShouldBeFalse(disco.Error);
        return disco;
    }
}
