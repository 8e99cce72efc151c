using System.Net;
using Duende.IdentityModel.Client;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Tokens;

/// <summary>
/// A real OAuth client library (Duende.IdentityModel, as issue 3 asks) gets the management token
/// with both client authentication styles, and the token works on the Management API.
/// </summary>
public sealed class IdentityModelInteropTests
{
    private static readonly string TokenAddress = TestHost.Issuer.AbsoluteUri + "oauth/token";

    private static ClientCredentialsTokenRequest Request(ClientCredentialStyle style, string secret = TestHost.ManagementClientSecret, string? scope = null) => new()
    {
        Address = TokenAddress,
        ClientId = TestHost.ManagementClientId,
        ClientSecret = secret,
        ClientCredentialStyle = style,
        Scope = scope,
        Parameters = { { "audience", TestHost.ManagementAudience } },
    };

    [Theory]
    [InlineData(ClientCredentialStyle.AuthorizationHeader)]
    [InlineData(ClientCredentialStyle.PostBody)]
    public async Task RequestClientCredentialsToken_EitherStyle_TokenEnablesTheFlag(ClientCredentialStyle style)
    {
        await using var host = await TestHost.StartAsync(configure: o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);

        var token = await host.Client.RequestClientCredentialsTokenAsync(Request(style, scope: "update:tenant_settings"));

        token.IsError.ShouldBeFalse(token.Error);
        token.TokenType.ShouldBe("Bearer");
        token.ExpiresIn.ShouldBeGreaterThan(0);
        token.RefreshToken.ShouldBeNull();
        token.Scope.ShouldBe("update:tenant_settings");
        using var patch = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, "/api/v2/tenants/settings", token.AccessToken!,
            TestHost.Json("""{"flags":{"enable_dynamic_client_registration":true}}""")));
        patch.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.TenantSettings.GetAsync(CancellationToken.None)).Flags.EnableDynamicClientRegistration.ShouldBeTrue();
    }

    // The library parses our RFC 6749 §5.2 error body.
    [Theory]
    [InlineData(ClientCredentialStyle.AuthorizationHeader)]
    [InlineData(ClientCredentialStyle.PostBody)]
    public async Task RequestClientCredentialsToken_WrongSecret_LibraryReportsInvalidClient(ClientCredentialStyle style)
    {
        await using var host = await TestHost.StartAsync();

        var token = await host.Client.RequestClientCredentialsTokenAsync(Request(style, secret: "wrong"));

        token.IsError.ShouldBeTrue();
        token.HttpStatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // For statuses other than 400 the library's Error is the reason phrase; our JSON is still there.
        token.TryGet("error").ShouldBe("invalid_client");
    }

    [Fact]
    public async Task RequestClientCredentialsToken_ScopeNotGranted_LibraryReportsInvalidScope()
    {
        await using var host = await TestHost.StartAsync();

        var token = await host.Client.RequestClientCredentialsTokenAsync(Request(ClientCredentialStyle.PostBody, scope: "read:users"));

        token.IsError.ShouldBeTrue();
        token.HttpStatusCode.ShouldBe(HttpStatusCode.BadRequest);
        token.Error.ShouldBe("invalid_scope");
    }
}
