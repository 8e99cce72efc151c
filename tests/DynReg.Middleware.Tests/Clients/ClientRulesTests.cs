using DynReg.Middleware.Clients;
using DynReg.Middleware.Registration;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Tests.Clients;

/// <summary>
/// The client rules on whole clients, one line per rule. Expected values are the literals of the
/// specifications: OpenID Connect Registration 1.0 §2 (redirect_uris, response_types/grant_types
/// table), RFC 7591 §2, RFC 6749 §3.1.2, RFC 8252 §7.
/// </summary>
public sealed class ClientRulesTests
{
    private const string RedirectUri = "https://client.example.org/callback"; // OpenID Connect Registration 1.0 §3.1 example

    // ---- redirect URIs by application type and grant (OpenID Connect Registration 1.0 §2, RFC 8252 §7) ----

    [Theory]
    [InlineData("web code flow, https", "web", false, "https://client.example.org/callback", null)]
    [InlineData("web code flow, https localhost", "web", false, "https://localhost/cb", null)]
    [InlineData("web implicit, https", "web", true, "https://client.example.org/callback", null)]
    [InlineData("web implicit, https localhost", "web", true, "https://localhost/cb", "invalid_redirect_uri")]
    [InlineData("web implicit, https 127.0.0.1", "web", true, "https://127.0.0.1/cb", "invalid_redirect_uri")]
    [InlineData("web implicit, https [::1]", "web", true, "https://[::1]/cb", "invalid_redirect_uri")]
    [InlineData("web code flow, http loopback", "web", false, "http://127.0.0.1/cb", "invalid_redirect_uri")]
    [InlineData("web code flow, http", "web", false, "http://client.example.org/callback", "invalid_redirect_uri")]
    [InlineData("web code flow, custom scheme", "web", false, "com.example.app:/oauth2redirect/example-provider", "invalid_redirect_uri")]
    [InlineData("native code flow, RFC 8252 §7.1 private-use scheme", "native", false, "com.example.app:/oauth2redirect/example-provider", null)]
    [InlineData("native code flow, RFC 8252 §7.2 claimed https", "native", false, "https://app.example.com/oauth2redirect/example-provider", null)]
    [InlineData("native code flow, RFC 8252 §7.3 loopback", "native", false, "http://127.0.0.1:51004/oauth2redirect/example-provider", null)]
    [InlineData("native code flow, http not loopback", "native", false, "http://app.example.com/cb", "invalid_redirect_uri")]
    [InlineData("native implicit, custom scheme", "native", true, "com.example.app:/cb", null)]
    [InlineData("native implicit, http localhost", "native", true, "http://localhost/cb", null)]
    [InlineData("native implicit, https", "native", true, "https://app.example.com/cb", "invalid_redirect_uri")]
    [InlineData("RFC 6749 §3.1.2 fragment", "web", false, "https://client.example.org/callback#frag", "invalid_redirect_uri")]
    [InlineData("RFC 6749 §3.1.2 relative", "web", false, "/callback", "invalid_redirect_uri")]
    [InlineData("RFC 9700 §2.6 script scheme", "native", false, "javascript:alert(1)", "invalid_redirect_uri")]
    public void Validate_RedirectUriForApplicationTypeAndGrant(string rule, string applicationType, bool implicitGrant, string uri, string? error)
    {
        var client = Draft(applicationType, implicitGrant) with { RedirectUris = [uri] };

        ClientRules.Validate(client, ThirdParty())?.Error.ShouldBe(error, rule);
    }

    [Fact]
    public void Validate_ImplicitWebClientWithLocalhost_NamesTheUriAndTheRuleOnBothSurfaces()
    {
        var client = Draft("web", implicitGrant: true) with { RedirectUris = ["https://localhost/cb"] };

        var violation = ClientRules.Validate(client, ThirdParty()).ShouldNotBeNull();

        violation.RegistrationDescription.ShouldBe(
            "The redirect URI 'https://localhost/cb' cannot be used with implicit: web clients using implicit must use https and not localhost.");
        violation.ManagementDescription.ShouldBe(
            "The callback https://localhost/cb cannot be used with implicit: web clients using implicit must use https and not localhost");
    }

    // RFC 7591 §2: clients using flows with redirection MUST register their redirection URI values.
    [Theory]
    [InlineData("third-party code flow", false, new[] { "authorization_code" }, "invalid_redirect_uri")]
    [InlineData("first-party client_credentials", true, new[] { "client_credentials" }, null)]
    public void Validate_NoRedirectUris_RefusedOnlyForRedirectFlows(string rule, bool firstParty, string[] grants, string? error)
    {
        var client = Draft("web", implicitGrant: false) with { RedirectUris = [], GrantTypes = grants, ResponseTypes = grants.Contains("authorization_code") ? ["code"] : [] };

        ClientRules.Validate(client, firstParty ? FirstParty() : ThirdParty())?.Error.ShouldBe(error, rule);
    }

    // ---- grant_types and response_types (OpenID Connect Registration 1.0 §2 table, RFC 7591 §2.1) ----

    [Theory]
    [InlineData("code / authorization_code", new[] { "authorization_code" }, new[] { "code" }, null)]
    [InlineData("id_token / implicit", new[] { "implicit" }, new[] { "id_token" }, null)]
    [InlineData("id_token token / implicit", new[] { "implicit" }, new[] { "id_token token" }, null)]
    [InlineData("code and token / both", new[] { "authorization_code", "implicit" }, new[] { "code", "token" }, null)]
    [InlineData("refresh_token with authorization_code", new[] { "authorization_code", "refresh_token" }, new[] { "code" }, null)]
    [InlineData("code without authorization_code", new[] { "implicit" }, new[] { "code" }, "invalid_client_metadata")]
    [InlineData("token without implicit", new[] { "authorization_code" }, new[] { "code", "token" }, "invalid_client_metadata")]
    [InlineData("authorization_code without code", new[] { "authorization_code", "implicit" }, new[] { "token" }, "invalid_client_metadata")]
    [InlineData("refresh_token alone", new[] { "refresh_token" }, new string[0], "invalid_client_metadata")]
    [InlineData("client_credentials for a third party", new[] { "authorization_code", "client_credentials" }, new[] { "code" }, "invalid_client_metadata")]
    [InlineData("unknown grant", new[] { "authorization_code", "password" }, new[] { "code" }, "invalid_client_metadata")]
    [InlineData("code id_token is not served", new[] { "authorization_code", "implicit" }, new[] { "code id_token" }, "invalid_client_metadata")]
    public void Validate_GrantAndResponseTypes(string rule, string[] grants, string[] responses, string? error)
    {
        var client = Draft("web", implicitGrant: false) with { GrantTypes = grants, ResponseTypes = responses };

        ClientRules.Validate(client, ThirdParty())?.Error.ShouldBe(error, rule);
    }

    [Theory]
    [InlineData("implicit grant", new[] { "authorization_code", "implicit" }, new[] { "code", "token" })]
    [InlineData("token response", new[] { "authorization_code" }, new[] { "code", "token" })]
    public void Validate_StrictModeThirdParty_OnlyTheCodeFlow(string rule, string[] grants, string[] responses)
    {
        var client = Draft("web", implicitGrant: false) with { GrantTypes = grants, ResponseTypes = responses };

        ClientRules.Validate(client, ThirdParty(DynamicClientRegistrationSecurityMode.Strict)).ShouldNotBeNull(rule).Error.ShouldBe("invalid_client_metadata", rule);
    }

    [Fact]
    public void Validate_FirstPartyClientCredentials_Accepted()
    {
        var client = Draft("web", implicitGrant: false) with { RedirectUris = [], GrantTypes = ["client_credentials"], ResponseTypes = [] };

        ClientRules.Validate(client, FirstParty()).ShouldBeNull();
    }

    // ---- informational URIs (RFC 7591 §2, §5) ---------------------------------------------------

    [Theory]
    [InlineData("https://client.example.org/logo.png", true)] // OpenID Connect Registration 1.0 §3.1 example
    [InlineData("http://client.example.org/logo.png", true)]
    [InlineData("com.example:/x", false)]
    [InlineData("ftp://client.example.org/logo.png", false)]
    [InlineData("urn:example:logo", false)]
    [InlineData("https://client.example.org/logo.png#top", false)]
    [InlineData("//client.example.org/logo.png", false)]
    [InlineData("data:image/png;base64,iVBORw0KGgo=", false)]
    public void Validate_LogoUri_AbsoluteHttpOrHttpsWithoutFragment(string logoUri, bool accepted)
    {
        var violation = ClientRules.Validate(Draft("web", implicitGrant: false) with { LogoUri = logoUri }, ThirdParty());

        if (accepted)
        {
            violation.ShouldBeNull();
        }
        else
        {
            violation.ShouldNotBeNull().Error.ShouldBe("invalid_client_metadata");
            violation.ManagementDescription.ShouldBe("logo_uri must be an absolute http or https URI without a fragment, at most 2048 characters");
            violation.RegistrationDescription.ShouldBe("logo_uri must be an absolute http or https URI without a fragment, at most 2048 characters.");
        }
    }

    // ---- normalisation and defaults (RFC 6749 §3.1.1, RFC 7591 §2) ------------------------------

    [Theory]
    [InlineData("token id_token", "id_token token")]
    [InlineData("id_token  token", "id_token token")]
    [InlineData(" code ", "code")]
    [InlineData("id_token", "id_token")]
    [InlineData("code id_token", null)]
    [InlineData("code token", null)]
    [InlineData("none", null)]
    public void NormaliseResponseType_SpaceSeparatedSet(string value, string? expected)
        => ClientRules.NormaliseResponseType(value).ShouldBe(expected);

    // RFC 7591 §2: "If omitted, the default is that the client will use only the authorization_code
    // Grant Type" / "the default is that the client will use only the code response type".
    [Fact]
    public void CompleteGrantAndResponseTypes_StrictNeitherGiven_CodeFlowWithRefresh()
    {
        var (grants, responses) = ClientRules.CompleteGrantAndResponseTypes(null, null, [RedirectUri], "web", ThirdParty(DynamicClientRegistrationSecurityMode.Strict));

        grants.ShouldBe(["authorization_code", "refresh_token"]);
        responses.ShouldBe(["code"]);
    }

    [Theory]
    [InlineData("https://client.example.org/callback", new[] { "authorization_code", "implicit" }, new[] { "code", "token", "id_token token", "id_token" })]
    [InlineData("https://localhost/cb", new[] { "authorization_code" }, new[] { "code" })]
    public void CompleteGrantAndResponseTypes_PermissiveNeitherGiven_ImplicitOnlyWhereAllowed(string uri, string[] expectedGrants, string[] expectedResponses)
    {
        var (grants, responses) = ClientRules.CompleteGrantAndResponseTypes(null, null, [uri], "web", ThirdParty());

        grants.ShouldBe(expectedGrants);
        responses.ShouldBe(expectedResponses);
    }

    [Fact]
    public void ContextFor_StoredClient_ItsOwnModeAndParty()
    {
        var stored = new Client { ClientId = "c", RegistrationSecurityMode = DynamicClientRegistrationSecurityMode.Strict };
        var limits = new RegistrationOptions();

        ClientRuleContext.For(stored, limits).ShouldBe(new ClientRuleContext(DynamicClientRegistrationSecurityMode.Strict, limits, ClientParty.ThirdParty));
        ClientRuleContext.For(stored with { IsFirstParty = true, RegistrationSecurityMode = null }, limits)
            .ShouldBe(new ClientRuleContext(DynamicClientRegistrationSecurityMode.Permissive, limits, ClientParty.FirstParty));
    }

    private static ValidatedClientMetadata Draft(string applicationType, bool implicitGrant) => new()
    {
        ApplicationType = applicationType,
        RedirectUris = [RedirectUri],
        TokenEndpointAuthMethod = "client_secret_post",
        GrantTypes = implicitGrant ? ["authorization_code", "implicit"] : ["authorization_code"],
        ResponseTypes = implicitGrant ? ["code", "token", "id_token token", "id_token"] : ["code"],
    };

    private static ClientRuleContext ThirdParty(DynamicClientRegistrationSecurityMode mode = DynamicClientRegistrationSecurityMode.Permissive)
        => new(mode, new RegistrationOptions());

    private static ClientRuleContext FirstParty() => new(DynamicClientRegistrationSecurityMode.Permissive, new RegistrationOptions(), ClientParty.FirstParty);
}
