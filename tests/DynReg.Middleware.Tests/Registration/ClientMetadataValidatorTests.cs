using System.Text.Json;
using DynReg.Middleware.Clients;
using DynReg.Middleware.Registration;

namespace DynReg.Middleware.Tests.Registration;

/// <summary>
/// One line per rule of SPEC §4, RFC 7591 §2 and OpenID Connect Registration §2. Each line
/// names its rule; the first argument is shown in the test name and in the failure message.
/// </summary>
public sealed class ClientMetadataValidatorTests
{
    private const string Https = "https://app.example.com/callback";

    // ---- redirect_uris: presence and shape (R9, R34) ---------------------------------------

    [Theory]
    [InlineData("missing", """{"client_name":"x"}""")]
    [InlineData("empty array", """{"redirect_uris":[]}""")]
    [InlineData("a string, not an array", """{"redirect_uris":"https://app.example.com/callback"}""")]
    [InlineData("an object", """{"redirect_uris":{"0":"https://app.example.com/callback"}}""")]
    [InlineData("null", """{"redirect_uris":null}""")]
    [InlineData("a number inside", """{"redirect_uris":["https://app.example.com/callback",42]}""")]
    [InlineData("null inside", """{"redirect_uris":[null]}""")]
    [InlineData("nested array", """{"redirect_uris":[["https://app.example.com/callback"]]}""")]
    [InlineData("empty string", """{"redirect_uris":[""]}""")]
    [InlineData("escaped lone surrogate", """{"redirect_uris":["https://app.example.com/\ud800"]}""")]
    public void Validate_RedirectUrisNotAnArrayOfUris_InvalidRedirectUri(string rule, string json)
        => AssertRefused(Validate(json), "invalid_redirect_uri", rule);

    public static TheoryData<string, string> OversizedRedirectUris => new()
    {
        { "21 URIs (max 20)", RedirectUrisJson(Enumerable.Range(0, 21).Select(i => $"{Https}/{i}")) },
        { "2049 characters (max 2048)", RedirectUrisJson([UriOfLength(2049)]) },
    };

    [Theory]
    [MemberData(nameof(OversizedRedirectUris))]
    public void Validate_RedirectUrisOverLimits_InvalidRedirectUri(string rule, string json)
        => AssertRefused(Validate(json), "invalid_redirect_uri", rule);

    [Fact]
    public void Validate_RedirectUrisAtLimits_Accepted()
    {
        var uris = Enumerable.Range(0, 19).Select(i => $"{Https}/{i}").Append(UriOfLength(2048)).ToList();

        var result = Validate(RedirectUrisJson(uris));

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.RedirectUris.ShouldBe(uris);
    }

    // ---- redirect_uris: what a URI may be (R11-R15) ----------------------------------------

    [Theory]
    [InlineData("fragment", "web", "https://app.example.com/callback#frag")]
    [InlineData("empty fragment", "web", "https://app.example.com/callback#")]
    [InlineData("relative path", "web", "/cb")]
    [InlineData("relative, no slash", "web", "callback")]
    [InlineData("scheme-relative", "web", "//app.example.com/callback")]
    [InlineData("unparsable host", "web", "https://[::1/callback")]
    [InlineData("port out of range", "web", "https://app.example.com:99999/callback")]
    [InlineData("white space", "web", "https://app.example.com/call back")]
    [InlineData("javascript:", "web", "javascript:alert(document.cookie)")]
    [InlineData("data:", "web", "data:text/html,<script>alert(1)</script>")]
    [InlineData("vbscript:", "web", "vbscript:msgbox(1)")]
    [InlineData("file:", "web", "file:///etc/passwd")]
    [InlineData("blob:", "web", "blob:https://app.example.com/0b5c7e2c-7c34-4d0e-9d0e-1f0b1d9d8c11")]
    [InlineData("about:", "web", "about:blank")]
    [InlineData("javascript: for native", "native", "javascript:alert(1)")]
    [InlineData("JAVASCRIPT: upper case", "native", "JAVASCRIPT:alert(1)")]
    [InlineData("user info", "web", "https://user:pass@app.example.com/callback")]
    [InlineData("user name only", "web", "https://user@app.example.com/callback")]
    [InlineData("web + http non-loopback", "web", "http://app.example.com/callback")]
    [InlineData("web + custom scheme", "web", "com.example.app:/callback")]
    [InlineData("native + http non-loopback", "native", "http://example.com/callback")]
    public void Validate_RedirectUriRefused_InvalidRedirectUri(string rule, string applicationType, string uri)
        => AssertRefused(Validate(RequestJson(applicationType, uri)), "invalid_redirect_uri", rule);

    [Theory]
    [InlineData("web + https", "web", Https)]
    [InlineData("web + https with port, query, odd case: kept verbatim", "web", "HTTPS://App.Example.COM:443/cb/./x?b=2&a=1")]
    [InlineData("web + https://localhost", "web", "https://localhost:5001/callback")]
    [InlineData("web + http loopback, code flow (RFC 8252 §7.3)", "web", "http://localhost:5000/callback")]
    [InlineData("web + http 127.0.0.1, code flow", "web", "http://127.0.0.1:5000/callback")]
    [InlineData("web + http [::1], code flow", "web", "http://[::1]:5000/callback")]
    [InlineData("native + custom scheme", "native", "com.example.app:/oauth2redirect")]
    [InlineData("native + http://127.0.0.1:port", "native", "http://127.0.0.1:51004/callback")]
    [InlineData("native + http://[::1]:port", "native", "http://[::1]:51004/callback")]
    [InlineData("native + http://localhost", "native", "http://localhost/callback")]
    [InlineData("native + claimed https", "native", "https://app.example.com/native-callback")]
    public void Validate_AllowedRedirectUri_AcceptedVerbatim(string rule, string applicationType, string uri)
    {
        var result = Validate(RequestJson(applicationType, uri));

        result.IsValid.ShouldBeTrue($"{rule}: {result.ErrorDescription}");
        result.Metadata!.RedirectUris.ShouldBe([uri]);
        result.Metadata.ApplicationType.ShouldBe(applicationType);
    }

    [Theory]
    [InlineData("http://localhost:5000/callback")]
    [InlineData("http://127.0.0.1:5000/callback")]
    [InlineData("http://[::1]:5000/callback")]
    public void Validate_WebHttpLoopbackWithDevelopmentOption_Accepted(string uri)
    {
        var result = Validate(RedirectUrisJson([uri]), limits: o => o.AllowHttpLoopbackRedirectUrisForWebClients = true);

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.RedirectUris.ShouldBe([uri]);
    }

    [Fact]
    public void Validate_WebHttpNonLoopbackWithDevelopmentOption_InvalidRedirectUri()
        => AssertRefused(
            Validate(RedirectUrisJson(["http://app.example.com/callback"]), limits: o => o.AllowHttpLoopbackRedirectUrisForWebClients = true),
            "invalid_redirect_uri");

    // OpenID Connect Registration §2: web clients using implicit MUST NOT use localhost (R13).
    [Theory]
    [InlineData("https://localhost/callback")]
    [InlineData("https://localhost:5001/callback")]
    [InlineData("https://localhost./callback")]
    [InlineData("https://app.localhost/callback")]
    [InlineData("https://127.0.0.1/callback")]
    [InlineData("https://127.1/callback")]
    [InlineData("https://[::1]/callback")]
    [InlineData("https://[::ffff:127.0.0.1]/callback")]
    public void Validate_WebImplicitWithHttpsLoopback_InvalidRedirectUri(string uri)
        => AssertRefused(
            Validate($$"""{"redirect_uris":["{{uri}}"],"grant_types":["implicit"],"response_types":["id_token token"]}"""),
            "invalid_redirect_uri",
            uri);

    [Fact]
    public void Validate_NativeImplicitWithClaimedHttps_InvalidRedirectUri()
        => AssertRefused(
            Validate("""{"application_type":"native","redirect_uris":["https://app.example.com/cb"],"grant_types":["implicit"],"response_types":["token"]}"""),
            "invalid_redirect_uri");

    [Fact]
    public void Validate_DuplicateRedirectUris_KeptOnce()
    {
        var result = Validate(RedirectUrisJson([Https, Https, $"{Https}/2"]));

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.RedirectUris.ShouldBe([Https, $"{Https}/2"]);
    }

    // ---- grant_types / response_types defaults (SPEC §4) -----------------------------------

    [Fact]
    public void Validate_PermissiveDefaultsWithHttpsRedirects_AuthorizationCodeAndImplicit()
    {
        var result = Validate(RedirectUrisJson([Https, "https://other.example.org/cb"]));

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.GrantTypes.ShouldBe(["authorization_code", "implicit"]);
        result.Metadata.ResponseTypes.ShouldBe(["code", "token", "id_token token", "id_token"]);
        result.Metadata.TokenEndpointAuthMethod.ShouldBe("client_secret_post");
        result.Metadata.ApplicationType.ShouldBe("web");
    }

    [Theory]
    [InlineData("https://localhost/callback")]
    [InlineData("https://localhost./callback")]
    [InlineData("https://127.0.0.1:8443/callback")]
    public void Validate_PermissiveDefaultsWithALoopbackRedirect_AuthorizationCodeOnly(string loopback)
    {
        var result = Validate(RedirectUrisJson([Https, loopback]));

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.GrantTypes.ShouldBe(["authorization_code"]);
        result.Metadata.ResponseTypes.ShouldBe(["code"]);
    }

    [Theory]
    [InlineData("http://localhost:33418/callback")]
    [InlineData("http://127.0.0.1:6274/oauth/callback")]
    [InlineData("http://[::1]/callback")]
    public void Validate_McpClientBodyWithHttpLoopback_CodeFlowWithRefreshTokensNeverImplicit(string loopback)
    {
        // What MCP clients send: no application_type, a public client, no grant or response types.
        var result = Validate($$"""{"redirect_uris":["{{loopback}}"],"token_endpoint_auth_method":"none","client_name":"MCP client"}""");

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.ApplicationType.ShouldBe("web");
        result.Metadata.GrantTypes.ShouldBe(["authorization_code", "refresh_token"]);
        result.Metadata.ResponseTypes.ShouldBe(["code"]);
    }

    [Fact]
    public void Validate_HttpLoopbackWithTheDevelopmentImplicitOption_KeepsTheSeedsImplicitDefaults()
    {
        var result = Validate(RedirectUrisJson(["http://127.0.0.1:5000/demo/callback"]), limits: o => o.AllowHttpLoopbackRedirectUrisForWebClients = true);

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.GrantTypes.ShouldBe(["authorization_code", "implicit"]);
    }

    [Theory]
    [InlineData("""["implicit"]""")]
    [InlineData("""["authorization_code","implicit"]""")]
    public void Validate_WebClientAskingImplicitWithHttpLoopback_InvalidRedirectUri(string grants)
    {
        var result = Validate($$"""{"redirect_uris":["http://127.0.0.1:8080/callback"],"grant_types":{{grants}}}""");

        AssertRefused(result, "invalid_redirect_uri", "OpenID Connect Registration §2: implicit web clients use https, never localhost");
    }

    [Theory]
    [InlineData("\"\"", null)]
    [InlineData("\"mcp:tools\"", "mcp:tools")]
    public void Validate_EmptyScope_CountsAsOmitted(string scopeJson, string? expected)
    {
        var result = Validate($$"""{"redirect_uris":["{{Https}}"],"scope":{{scopeJson}}}""");

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.Scope.ShouldBe(expected);
    }

    [Fact]
    public void Validate_StrictDefaults_AuthorizationCodeAndRefreshToken()
    {
        var result = Validate(RedirectUrisJson([Https]), DynamicClientRegistrationSecurityMode.Strict);

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.GrantTypes.ShouldBe(["authorization_code", "refresh_token"]);
        result.Metadata.ResponseTypes.ShouldBe(["code"]);
    }

    [Theory]
    [InlineData("implicit grant", """ "grant_types":["implicit"] """)]
    [InlineData("implicit among others", """ "grant_types":["authorization_code","implicit"] """)]
    [InlineData("token response type", """ "response_types":["token"] """)]
    [InlineData("id_token token response type", """ "response_types":["id_token token"] """)]
    [InlineData("id_token response type", """ "response_types":["id_token"] """)]
    [InlineData("code plus token", """ "response_types":["code","token"] """)]
    public void Validate_StrictModeImplicitRequested_InvalidClientMetadata(string rule, string members)
        => AssertRefused(Validate(WithMembers(members), DynamicClientRegistrationSecurityMode.Strict), "invalid_client_metadata", rule);

    [Theory]
    [InlineData("""["authorization_code"]""", """["code"]""")]
    [InlineData("""["authorization_code","refresh_token"]""", """["code"]""")]
    public void Validate_StrictModeCodeFlow_Accepted(string grantTypes, string responseTypes)
    {
        var result = Validate(WithMembers($$""" "grant_types":{{grantTypes}},"response_types":{{responseTypes}} """), DynamicClientRegistrationSecurityMode.Strict);

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.ResponseTypes.ShouldBe(["code"]);
    }

    [Theory]
    [InlineData("grants only: code flow", """ "grant_types":["authorization_code"] """, new[] { "authorization_code" }, new[] { "code" })]
    [InlineData("grants only: implicit", """ "grant_types":["implicit"] """, new[] { "implicit" }, new[] { "token", "id_token token", "id_token" })]
    [InlineData("grants only: code + refresh", """ "grant_types":["authorization_code","refresh_token"] """, new[] { "authorization_code", "refresh_token" }, new[] { "code" })]
    [InlineData("responses only: code", """ "response_types":["code"] """, new[] { "authorization_code" }, new[] { "code" })]
    [InlineData("responses only: token", """ "response_types":["token"] """, new[] { "implicit" }, new[] { "token" })]
    [InlineData("responses only: code + id_token", """ "response_types":["code","id_token"] """, new[] { "authorization_code", "implicit" }, new[] { "code", "id_token" })]
    [InlineData("\"token id_token\" normalised", """ "response_types":["token id_token"] """, new[] { "implicit" }, new[] { "id_token token" })]
    [InlineData("both spellings kept once", """ "response_types":["token id_token","id_token token"] """, new[] { "implicit" }, new[] { "id_token token" })]
    [InlineData("duplicate grants kept once", """ "grant_types":["authorization_code","authorization_code"],"response_types":["code"] """, new[] { "authorization_code" }, new[] { "code" })]
    public void Validate_ExplicitGrantOrResponseTypes_NormalisedAndCompleted(string rule, string members, string[] grantTypes, string[] responseTypes)
    {
        var result = Validate(WithMembers(members));

        result.IsValid.ShouldBeTrue($"{rule}: {result.ErrorDescription}");
        result.Metadata!.GrantTypes.ShouldBe(grantTypes, rule);
        result.Metadata.ResponseTypes.ShouldBe(responseTypes, rule);
    }

    // Duende.IdentityModel's registration document serialises every list, empty ones as [].
    [Theory]
    [InlineData("grant_types empty", """ "grant_types":[] """)]
    [InlineData("response_types empty", """ "response_types":[] """)]
    [InlineData("both empty", """ "grant_types":[],"response_types":[] """)]
    public void Validate_EmptyGrantOrResponseTypes_DefaultsAsIfOmitted(string rule, string members)
    {
        var result = Validate(WithMembers(members));

        result.IsValid.ShouldBeTrue($"{rule}: {result.ErrorDescription}");
        result.Metadata!.GrantTypes.ShouldBe(["authorization_code", "implicit"], rule);
        result.Metadata.ResponseTypes.ShouldBe(["code", "token", "id_token token", "id_token"], rule);
    }

    [Fact]
    public void Validate_EmptyGrantTypesBesideResponseTypes_GrantsDerived()
    {
        var result = Validate(WithMembers(""" "grant_types":[],"response_types":["code"] """));

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.GrantTypes.ShouldBe(["authorization_code"]);
        result.Metadata.ResponseTypes.ShouldBe(["code"]);
    }

    [Fact]
    public void Validate_EmptyContacts_NoContacts()
    {
        var result = Validate(WithMembers(""" "contacts":[] """));

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.Contacts.ShouldBeEmpty();
    }

    // ---- token_endpoint_auth_method (R5, R6, R18) ------------------------------------------

    [Theory]
    [InlineData("", "client_secret_post")]
    [InlineData(""" ,"token_endpoint_auth_method":"client_secret_post" """, "client_secret_post")]
    [InlineData(""" ,"token_endpoint_auth_method":"client_secret_basic" """, "client_secret_basic")]
    [InlineData(""" ,"token_endpoint_auth_method":"none" """, "none")]
    public void Validate_SupportedAuthMethod_Kept(string member, string expected)
    {
        var result = Validate($$"""{"redirect_uris":["{{Https}}"]{{member}}}""");

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.TokenEndpointAuthMethod.ShouldBe(expected);
    }

    // ---- other metadata (R16-R20, R31) -----------------------------------------------------

    [Theory]
    [InlineData("application_type other", """ "application_type":"browser" """)]
    [InlineData("application_type number", """ "application_type":1 """)]
    [InlineData("application_type null", """ "application_type":null """)]
    [InlineData("auth method tls_client_auth", """ "token_endpoint_auth_method":"tls_client_auth" """)]
    [InlineData("auth method private_key_jwt", """ "token_endpoint_auth_method":"private_key_jwt" """)]
    [InlineData("auth method client_secret_jwt", """ "token_endpoint_auth_method":"client_secret_jwt" """)]
    [InlineData("auth method upper case", """ "token_endpoint_auth_method":"NONE" """)]
    [InlineData("auth method empty", """ "token_endpoint_auth_method":"" """)]
    [InlineData("auth method number", """ "token_endpoint_auth_method":1 """)]
    [InlineData("auth method null", """ "token_endpoint_auth_method":null """)]
    [InlineData("code response + implicit grant", """ "response_types":["code"],"grant_types":["implicit"] """)]
    [InlineData("token response + code grant", """ "response_types":["token"],"grant_types":["authorization_code"] """)]
    [InlineData("implicit grant without token response", """ "response_types":["code"],"grant_types":["authorization_code","implicit"] """)]
    [InlineData("client_credentials", """ "grant_types":["client_credentials"] """)]
    [InlineData("client_credentials with code", """ "grant_types":["authorization_code","client_credentials"] """)]
    [InlineData("password grant", """ "grant_types":["password"] """)]
    [InlineData("unknown grant", """ "grant_types":["urn:example:grant"] """)]
    [InlineData("refresh_token alone", """ "grant_types":["refresh_token"] """)]
    [InlineData("grant_types a string", """ "grant_types":"authorization_code" """)]
    [InlineData("grant_types null", """ "grant_types":null """)]
    [InlineData("grant_types number inside", """ "grant_types":[1] """)]
    [InlineData("unknown response type", """ "response_types":["code id_token"] """)]
    [InlineData("response type none", """ "response_types":["none"] """)]
    [InlineData("response_types a string", """ "response_types":"code" """)]
    [InlineData("client_name number", """ "client_name":42 """)]
    [InlineData("client_name array", """ "client_name":["x"] """)]
    [InlineData("client_name null", """ "client_name":null """)]
    [InlineData("client_name NUL", """ "client_name":"a\u0000b" """)]
    [InlineData("client_name new line", """ "client_name":"a\nb" """)]
    [InlineData("client_name bell", """ "client_name":"a\u0007b" """)]
    [InlineData("client_name C1 control", """ "client_name":"a\u0085b" """)]
    [InlineData("client_name RTL override U+202E", """ "client_name":"Good App\u202Egnp.exe" """)]
    [InlineData("client_name LTR embedding U+202A", """ "client_name":"a\u202Ab" """)]
    [InlineData("client_name isolate U+2066", """ "client_name":"a\u2066b" """)]
    [InlineData("client_name lone high surrogate", """ "client_name":"\ud800" """)]
    [InlineData("client_name lone low surrogate", """ "client_name":"x\udc00y" """)]
    [InlineData("member name lone surrogate", """ "\ud800":1 """)]
    [InlineData("contacts not e-mail", """ "contacts":["not an e-mail address"] """)]
    [InlineData("contacts URL", """ "contacts":["https://example.com/contact"] """)]
    [InlineData("contacts no domain dot", """ "contacts":["admin@localhost"] """)]
    [InlineData("contacts display name", """ "contacts":["Admin <admin@example.com>"] """)]
    [InlineData("contacts two addresses", """ "contacts":["a@example.com,b@example.com"] """)]
    [InlineData("contacts a string", """ "contacts":"admin@example.com" """)]
    [InlineData("contacts number inside", """ "contacts":["admin@example.com",1] """)]
    [InlineData("jwks + jwks_uri", """ "jwks":{"keys":[]},"jwks_uri":"https://app.example.com/jwks" """)]
    [InlineData("jwks_uri http", """ "jwks_uri":"http://app.example.com/jwks" """)]
    [InlineData("jwks_uri relative", """ "jwks_uri":"/jwks" """)]
    [InlineData("jwks_uri number", """ "jwks_uri":1 """)]
    [InlineData("sector_identifier_uri http", """ "sector_identifier_uri":"http://app.example.com/sector.json" """)]
    [InlineData("initiate_login_uri http", """ "initiate_login_uri":"http://app.example.com/login" """)]
    [InlineData("initiate_login_uri custom scheme", """ "initiate_login_uri":"app:/login" """)]
    [InlineData("logo_uri relative", """ "logo_uri":"/logo.png" """)]
    [InlineData("client_uri no scheme", """ "client_uri":"app.example.com" """)]
    [InlineData("policy_uri javascript:", """ "policy_uri":"javascript:alert(1)" """)]
    [InlineData("tos_uri ftp", """ "tos_uri":"ftp://app.example.com/tos.txt" """)]
    [InlineData("logo_uri data:", """ "logo_uri":"data:image/png;base64,iVBORw0KGgo=" """)]
    [InlineData("logo_uri number", """ "logo_uri":1 """)]
    [InlineData("client_uri fragment", """ "client_uri":"https://app.example.com/#about" """)]
    public void Validate_BadMetadata_InvalidClientMetadata(string rule, string members)
        => AssertRefused(Validate(WithMembers(members)), "invalid_client_metadata", rule);

    public static TheoryData<string, string> OversizedMetadata => new()
    {
        { "client_name 257 characters (max 256)", WithMembers($$""" "client_name":"{{new string('n', 257)}}" """) },
        { "contacts 11 addresses (max 10)", WithMembers($$""" "contacts":[{{string.Join(",", Enumerable.Range(0, 11).Select(i => $"\"c{i}@example.com\""))}}] """) },
        { "logo_uri 2049 characters", WithMembers($$""" "logo_uri":"{{UriOfLength(2049)}}" """) },
    };

    [Theory]
    [MemberData(nameof(OversizedMetadata))]
    public void Validate_MetadataOverLimits_InvalidClientMetadata(string rule, string json)
        => AssertRefused(Validate(json), "invalid_client_metadata", rule);

    [Fact]
    public void Validate_NotAnObject_InvalidClientMetadata()
    {
        using var document = JsonDocument.Parse("""[{"redirect_uris":["https://app.example.com/callback"]}]""");

        AssertRefused(ClientMetadataValidator.Validate(document.RootElement, Rules()), "invalid_client_metadata");
    }

    [Fact]
    public void Validate_FullMetadata_KeptAsSent()
    {
        var result = Validate($$"""
            {
              "redirect_uris": ["{{Https}}"],
              "client_name": "Appointments \uD83D\uDCC5 ✓ Кириллица",
              "client_uri": "https://app.example.com/",
              "logo_uri": "https://cdn.example.com/logo.png",
              "policy_uri": "http://app.example.com/policy",
              "tos_uri": "https://app.example.com/tos",
              "contacts": ["admin@example.com", "ops+dcr@sub.example.co.uk"]
            }
            """);

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        var metadata = result.Metadata!;
        metadata.ClientName.ShouldBe("Appointments \U0001F4C5 ✓ Кириллица");
        metadata.ClientUri.ShouldBe("https://app.example.com/");
        metadata.LogoUri.ShouldBe("https://cdn.example.com/logo.png");
        metadata.PolicyUri.ShouldBe("http://app.example.com/policy");
        metadata.TosUri.ShouldBe("https://app.example.com/tos");
        metadata.Contacts.ShouldBe(["admin@example.com", "ops+dcr@sub.example.co.uk"]);
    }

    [Fact]
    public void Validate_ClientNameAtLengthLimit_Accepted()
    {
        var name = new string('n', 256);

        var result = Validate(WithMembers($$""" "client_name":"{{name}}" """));

        result.IsValid.ShouldBeTrue(result.ErrorDescription);
        result.Metadata!.ClientName.ShouldBe(name);
    }

    // RFC 7591 §2: unknown members are ignored; §2.2 i18n members may be ignored; §6: client_id is never the caller's.
    [Theory]
    [InlineData("unknown member", """ "foo":"bar" """)]
    [InlineData("unknown object member", """ "extra":{"nested":[1,2,{"deep":null}]} """)]
    [InlineData("i18n client_name#ja-Jpan-JP", """ "client_name#ja-Jpan-JP":"クライアント名" """)]
    [InlineData("i18n with a control character", """ "client_name#en":"a\u202Eb" """)]
    [InlineData("client_id and client_secret", """ "client_id":"victim","client_secret":"x" """)]
    [InlineData("software_statement", """ "software_statement":"eyJhbGciOiJub25lIn0.e30." """)]
    [InlineData("jwks alone", """ "jwks":{"keys":[]} """)]
    [InlineData("https jwks_uri, sector_identifier_uri, initiate_login_uri", """ "jwks_uri":"https://app.example.com/jwks","sector_identifier_uri":"https://app.example.com/s.json","initiate_login_uri":"https://app.example.com/login" """)]
    public void Validate_IgnoredMembers_AcceptedWithOnlyKnownMetadata(string rule, string members)
    {
        var result = Validate(WithMembers(members));

        result.IsValid.ShouldBeTrue($"{rule}: {result.ErrorDescription}");
        result.Metadata!.ClientName.ShouldBeNull(rule);
        result.Metadata.RedirectUris.ShouldBe([Https]);
    }

    // Descriptions quote the caller's value and are logged: no raw control or bidi characters
    // (forged log lines), and no surrogate pair cut in half by shortening.
    [Theory]
    [InlineData("""{"redirect_uris":["https://app.example.com/a\r\nINFO forged line"]}""")]
    [InlineData("""{"redirect_uris":["https://app.example.com/cb"],"grant_types":["evil\r\nINFO forged line"]}""")]
    [InlineData("""{"redirect_uris":["https://app.example.com/cb"],"response_types":["code\u0000\u202Etoken"]}""")]
    [InlineData("""{"redirect_uris":["https://app.example.com/cb"],"grant_types":["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\uD83D\uDE00"]}""")]
    public void Validate_RefusedValueQuotedInDescription_ControlAndBidiCharactersEscaped(string json)
    {
        var result = Validate(json);

        result.IsValid.ShouldBeFalse();
        var description = result.ErrorDescription.ShouldNotBeNull();
        description.Any(c => char.IsControl(c) || c is '\u202E').ShouldBeFalse(description);
        description.EnumerateRunes().ShouldNotContain(System.Text.Rune.ReplacementChar, description);
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static ClientRuleContext Rules(
        DynamicClientRegistrationSecurityMode mode = DynamicClientRegistrationSecurityMode.Permissive,
        Action<RegistrationOptions>? limits = null)
    {
        var options = new RegistrationOptions();
        limits?.Invoke(options);
        return new ClientRuleContext(mode, options);
    }

    private static ClientMetadataValidationResult Validate(
        string json,
        DynamicClientRegistrationSecurityMode mode = DynamicClientRegistrationSecurityMode.Permissive,
        Action<RegistrationOptions>? limits = null)
    {
        using var document = JsonDocument.Parse(json);
        return ClientMetadataValidator.Validate(document.RootElement, Rules(mode, limits));
    }

    private static void AssertRefused(ClientMetadataValidationResult result, string expectedError, string? rule = null)
    {
        result.IsValid.ShouldBeFalse(rule);
        result.Metadata.ShouldBeNull(rule);
        result.Error.ShouldBe(expectedError, $"{rule}: {result.ErrorDescription}");
        result.ErrorDescription.ShouldNotBeNullOrWhiteSpace(rule);
    }

    private static string WithMembers(string members) => $$"""{"redirect_uris":["{{Https}}"],{{members}}}""";

    private static string RequestJson(string applicationType, string uri)
        => JsonSerializer.Serialize(new Dictionary<string, object> { ["application_type"] = applicationType, ["redirect_uris"] = new[] { uri } });

    private static string RedirectUrisJson(IEnumerable<string> uris)
        => JsonSerializer.Serialize(new Dictionary<string, object> { ["redirect_uris"] = uris.ToArray() });

    private static string UriOfLength(int length)
    {
        const string Prefix = "https://app.example.com/";
        return Prefix + new string('a', length - Prefix.Length);
    }
}
