using System.Net;
using System.Text.Json;
using DynReg.Middleware.IntegrationTests.Tokens;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Management;

/// <summary>
/// One set of client rules: what <c>POST /oidc/register</c> refuses, <c>PATCH /api/v2/clients/{id}</c>
/// refuses too, because the patch is applied to the stored client and the whole result is checked.
/// </summary>
public sealed class ClientRulesParityTests
{
    private static string ClientPath(string id) => $"/api/v2/clients/{id}";

    // OpenID Connect Registration 1.0 §2 (redirect_uris): a web client using implicit registers only
    // https URIs and never localhost; a native one only custom schemes or http on a loopback host.
    [Theory]
    [InlineData("web", "https://app.example.com/callback", "https://localhost/cb",
        "The callback https://localhost/cb cannot be used with implicit: web clients using implicit must use https and not localhost")]
    [InlineData("web", "https://app.example.com/callback", "http://127.0.0.1/cb",
        "The callback http://127.0.0.1/cb cannot be used with implicit: web clients using implicit must use https and not localhost")]
    [InlineData("native", "com.example.app:/callback", "https://app.example.com/cb",
        "The callback https://app.example.com/cb cannot be used with implicit: native clients using implicit must use a custom scheme or http on localhost")]
    public async Task Patch_CallbacksRegistrationRefusesForImplicitClient_Returns400InvalidBodyAndChangesNothing(
        string applicationType, string registered, string patched, string message)
    {
        await using var host = await TestHost.StartAsync();
        var clientId = await RegisterAsync(host, $$"""{"application_type":"{{applicationType}}","redirect_uris":["{{registered}}"]}""");
        var before = (await host.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldNotBeNull();
        before.GrantTypes.ShouldContain("implicit"); // permissive mode gives implicit to such a client
        var token = await host.GetManagementTokenAsync();

        using var response = await host.SendAsync(HttpMethod.Patch, ClientPath(clientId), token, $$"""{"callbacks":["{{patched}}"]}""");

        await response.ShouldBeAuth0ErrorAsync(HttpStatusCode.BadRequest, $"Payload validation error: '{message}'.", "invalid_body");
        (await host.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldBeSameAs(before);

        // Registration refuses the same client.
        using var registration = await host.RegisterAsync($$"""{"application_type":"{{applicationType}}","redirect_uris":["{{patched}}"],"grant_types":["implicit"]}""");
        registration.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await registration.Content.ReadAsStringAsync()).ShouldContain("\"error\":\"invalid_redirect_uri\"");
    }

    [Fact]
    public async Task Patch_LogoUriCustomScheme_Returns400InvalidBodyAndChangesNothing()
    {
        await using var host = await TestHost.StartAsync();
        var (clientId, _) = await host.RegisterClientAsync();
        var before = await host.Clients.FindByIdAsync(clientId, CancellationToken.None);
        var token = await host.GetManagementTokenAsync();

        using var response = await host.SendAsync(HttpMethod.Patch, ClientPath(clientId), token, """{"logo_uri":"com.example:/x"}""");

        await response.ShouldBeAuth0ErrorAsync(HttpStatusCode.BadRequest,
            "Payload validation error: 'logo_uri must be an absolute http or https URI without a fragment, at most 2048 characters'.", "invalid_body");
        (await host.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldBeSameAs(before);
    }

    // RFC 7591 §2 logo_uri "MUST point to a valid image file": one rule, an http(s) URI without fragment, on both paths.
    [Theory]
    [InlineData("https://app.example.com/logo.png", true)]
    [InlineData("http://app.example.com/logo.png", true)]
    [InlineData("https://app.example.com/logo.png?size=64", true)]
    [InlineData("com.example:/x", false)]
    [InlineData("ftp://app.example.com/logo.png", false)]
    [InlineData("urn:example:logo", false)]
    [InlineData("https://app.example.com/logo.png#top", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("not a uri", false)]
    public async Task LogoUri_RegistrationAndPatch_SameRule(string logoUri, bool accepted)
    {
        await using var host = await TestHost.StartAsync();
        var member = JsonSerializer.Serialize(logoUri);

        using var registration = await host.RegisterAsync($$"""{"redirect_uris":["https://app.example.com/callback"],"logo_uri":{{member}}}""");
        var (clientId, _) = await host.RegisterClientAsync();
        var before = await host.Clients.FindByIdAsync(clientId, CancellationToken.None);
        var token = await host.GetManagementTokenAsync();
        using var patch = await host.SendAsync(HttpMethod.Patch, ClientPath(clientId), token, $$"""{"logo_uri":{{member}}}""");

        var registrationText = await registration.Content.ReadAsStringAsync();
        var after = (await host.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldNotBeNull();
        if (accepted)
        {
            registration.StatusCode.ShouldBe(HttpStatusCode.Created, registrationText);
            patch.StatusCode.ShouldBe(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
            after.LogoUri.ShouldBe(logoUri);
        }
        else
        {
            registration.StatusCode.ShouldBe(HttpStatusCode.BadRequest, registrationText);
            registrationText.ShouldContain("\"error\":\"invalid_client_metadata\"");
            await patch.ShouldBeInvalidBodyAsync();
            after.ShouldBeSameAs(before);
        }
    }

    private static async Task<string> RegisterAsync(TestHost host, string json)
    {
        using var response = await host.RegisterAsync(json);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("client_id").GetString()!;
    }
}
