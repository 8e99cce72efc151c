using System.Net;
using System.Text;
using DynReg.Middleware.Testing;
using static DynReg.Middleware.IntegrationTests.Registration.RegistrationWire;

namespace DynReg.Middleware.IntegrationTests.Registration;

/// <summary>
/// Hostile and broken bodies (R22, R23, R34): each gets its exact status and RFC 7591 §3.2.2
/// error with <c>Cache-Control: no-store</c>, and nothing is stored.
/// </summary>
public sealed class RegistrationBadInputTests
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    // R22: SPEC §4: anything but a JSON object is 400 invalid_client_metadata.
    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("redirect_uris=https://app.example.com/callback")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"]""")]
    [InlineData("""{"redirect_uris":["https://app.exa""")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],}""")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"]} {}""")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"]} /* comment */""")]
    [InlineData("""{'redirect_uris':['https://app.example.com/callback']}""")]
    [InlineData("""{redirect_uris:["https://app.example.com/callback"]}""")]
    [InlineData("""[{"redirect_uris":["https://app.example.com/callback"]}]""")]
    [InlineData("[]")]
    [InlineData("\"https://app.example.com/callback\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("null")]
    public async Task Register_BodyNotAJsonObject_Returns400InvalidClientMetadata(string body)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(body);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // Wrong member types and JSON null are refused, never coerced or read as "absent".
    [Theory]
    [InlineData("""{"redirect_uris":{"uri":"https://app.example.com/callback"}}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":true}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":[null]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":null}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"client_name":123}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"client_name":null}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"client_name":{"en":"x"}}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"grant_types":"authorization_code"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"grant_types":null}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"response_types":[1]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"token_endpoint_auth_method":["none"]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"token_endpoint_auth_method":null}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"application_type":null}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"contacts":null}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"logo_uri":false}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example.com/callback"],"jwks_uri":null}""", "invalid_client_metadata")]
    public async Task Register_WrongMemberTypeOrNull_Returns400(string body, string error)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(body);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, error);
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // Two values for one member: which one would the server use? Refuse.
    [Theory]
    [InlineData("""{"redirect_uris":["https://app.example.com/a"],"redirect_uris":["https://evil.example.net/b"]}""")]
    [InlineData("""{"redirect_uris":["https://app.example.com/a"],"redirect\u005furis":["https://evil.example.net/b"]}""")]
    [InlineData("""{"redirect_uris":["https://app.example.com/a"],"token_endpoint_auth_method":"none","token_endpoint_auth_method":"client_secret_post"}""")]
    [InlineData("""{"redirect_uris":["https://app.example.com/a"],"foo":1,"foo":2}""")]
    public async Task Register_DuplicateMemberNames_Returns400InvalidClientMetadata(string body)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(body);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Register_DeeplyNestedJson_Returns400InvalidClientMetadata()
    {
        await using var host = await TestHost.StartAsync();
        var nested = new string('[', 99) + new string(']', 99);

        using var response = await host.RegisterAsync(WithMembers($"\"extra\":{nested}"));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // R34: SPEC §4: a body declared larger than the limit is refused before a byte is read.
    [Fact]
    public async Task Register_TenMegabyteBodyWithContentLength_Returns413WithoutReadingIt()
    {
        var counter = new BodyReadCounter();
        await using var host = await TestHost.StartAsync(map: app => app.CountBodyBytes(counter));
        var body = Encoding.UTF8.GetBytes(WithMembers($"\"client_name\":\"{new string('a', TenMegabytes)}\""));

        using var response = await host.Client.PostAsync(RegisterPath, Body(body));

        await response.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge, "invalid_client_metadata");
        counter.DeclaredLength.ShouldBe(body.Length);
        counter.BytesRead.ShouldBe(0);
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // R34: without a Content-Length the server reads at most the limit plus one byte.
    [Fact]
    public async Task Register_TenMegabyteChunkedBody_Returns413AfterReadingOnlyTheLimit()
    {
        var counter = new BodyReadCounter();
        await using var host = await TestHost.StartAsync(map: app => app.CountBodyBytes(counter));
        using var content = ChunkedJsonContent.Create(TenMegabytes);

        using var response = await host.Client.PostAsync(RegisterPath, content);

        await response.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge, "invalid_client_metadata");
        counter.DeclaredLength.ShouldBeNull();
        counter.BytesRead.ShouldBeLessThanOrEqualTo(16 * 1024 + 1);
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // R34: 10,000 redirect URIs are far beyond 16 KiB.
    [Fact]
    public async Task Register_TenThousandRedirectUris_Returns413()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(ManyRedirectUris(10_000));

        await response.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge, "invalid_client_metadata");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // R34: with room for the body, the URI count limit (20) still holds.
    [Fact]
    public async Task Register_TenThousandRedirectUrisWithOneMegabyteLimit_Returns400InvalidRedirectUri()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.Registration.MaxRequestBodyBytes = 1024 * 1024);

        using var response = await host.RegisterAsync(ManyRedirectUris(10_000));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_redirect_uri");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Register_TwentyRedirectUris_Returns201()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(ManyRedirectUris(20));

        (await response.ShouldBeCreatedAsync()).Strings("redirect_uris").Length.ShouldBe(20);
    }

    // Long strings inside the body limit hit the per-member limits.
    [Theory]
    [InlineData("client_name", "invalid_client_metadata")]
    [InlineData("client_uri", "invalid_client_metadata")]
    [InlineData("redirect_uris", "invalid_redirect_uri")]
    public async Task Register_TenThousandCharacterString_Returns400(string member, string error)
    {
        await using var host = await TestHost.StartAsync();
        var longUri = "https://app.example.com/" + new string('a', 10_000);
        var body = member switch
        {
            "redirect_uris" => $$"""{"redirect_uris":["{{longUri}}"]}""",
            "client_uri" => WithMembers($"\"client_uri\":\"{longUri}\""),
            _ => WithMembers($"\"client_name\":\"{new string('n', 10_000)}\""),
        };

        using var response = await host.RegisterAsync(body);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, error, member);
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Register_HundredThousandCharacterClientName_Returns413()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(WithMembers($"\"client_name\":\"{new string('n', 100_000)}\""));

        await response.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge, "invalid_client_metadata");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // Characters that disguise a name on the consent page, or aren't text at all.
    [Theory]
    [InlineData("RTL override", """{"redirect_uris":["https://app.example.com/cb"],"client_name":"Good App\u202Egnp.exe"}""", "invalid_client_metadata")]
    [InlineData("NUL", """{"redirect_uris":["https://app.example.com/cb"],"client_name":"a\u0000b"}""", "invalid_client_metadata")]
    [InlineData("lone high surrogate", """{"redirect_uris":["https://app.example.com/cb"],"client_name":"\ud800"}""", "invalid_client_metadata")]
    [InlineData("lone low surrogate", """{"redirect_uris":["https://app.example.com/cb"],"client_name":"\udfff"}""", "invalid_client_metadata")]
    [InlineData("reversed surrogate pair", """{"redirect_uris":["https://app.example.com/cb"],"client_name":"\ude00\ud83d"}""", "invalid_client_metadata")]
    [InlineData("lone surrogate in a member name", """{"redirect_uris":["https://app.example.com/cb"],"\ud800":"x"}""", "invalid_client_metadata")]
    [InlineData("lone surrogate in the first member name", """{"\ud800":"x","redirect_uris":["https://app.example.com/cb"]}""", "invalid_client_metadata")]
    [InlineData("NUL in a redirect URI", """{"redirect_uris":["https://app.example.com/a\u0000b"]}""", "invalid_redirect_uri")]
    [InlineData("lone surrogate in a redirect URI", """{"redirect_uris":["https://app.example.com/\ud800"]}""", "invalid_redirect_uri")]
    public async Task Register_OddUnicode_Returns400(string rule, string body, string error)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(body);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, error, rule);
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"client_name":"Calendar \uD83D\uDCC5 ✓ 日本語","redirect_uris":["https://app.example.com/callback"]}""")]
    [InlineData("{\"client_name\":\"Calendar 📅 ✓ 日本語\",\"redirect_uris\":[\"https://app.example.com/callback\"]}")]
    public async Task Register_EmojiAndScriptsInClientName_Returns201Verbatim(string body)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync(body);

        (await response.ShouldBeCreatedAsync()).GetProperty("client_name").GetString().ShouldBe("Calendar \U0001F4C5 ✓ 日本語");
    }

    // RFC 8259 §8.1: JSON exchanged between systems is UTF-8; anything else is not a JSON text.
    public static TheoryData<string, byte[]> InvalidUtf8Bodies => new()
    {
        { "0xFF in client_name", [.. Utf8(WithMembers("\"client_name\":\"a")), 0xFF, .. Utf8("\"}")] },
        { "0xFF in an unknown member", [.. Utf8(WithMembers("\"foo\":\"a")), 0xFF, 0xFE, .. Utf8("\"}")] },
        { "0xFF in a member name", [.. Utf8(WithMembers("\"f")), 0xFF, .. Utf8("o\":1}")] },
        { "overlong '/' in a redirect URI", [.. Utf8("{\"redirect_uris\":[\"https://app.example.com"), 0xC0, 0xAF, .. Utf8("cb\"]}")] },
        { "encoded surrogate in client_name", [.. Utf8(WithMembers("\"client_name\":\"")), 0xED, 0xA0, 0x80, .. Utf8("\"}")] },
        { "truncated sequence in an unknown member", [.. Utf8(WithMembers("\"foo\":\"")), 0xE2, 0x82, .. Utf8("\"}")] },
        { "Latin-1 é", Encoding.Latin1.GetBytes(WithMembers("\"client_name\":\"Café\"")) },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8Bodies))]
    public async Task Register_InvalidUtf8_Returns400InvalidClientMetadata(string rule, byte[] body)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.PostAsync(RegisterPath, Body(body));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_client_metadata", rule);
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    // R22: RFC 7591 §3: application/json only; SPEC §4: anything else is 400 invalid_client_metadata.
    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/jsonp")]
    [InlineData("application/json-patch+json")]
    [InlineData("text/json")]
    [InlineData("json")]
    [InlineData(null)]
    public async Task Register_WrongContentType_Returns400InvalidClientMetadata(string? contentType)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.PostAsync(RegisterPath, Body(MinimalRequest, contentType));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
        (await host.CountClientsAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=\"UTF-8\"")]
    [InlineData("Application/JSON")]
    public async Task Register_JsonContentType_Returns201(string contentType)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.PostAsync(RegisterPath, Body(MinimalRequest, contentType));

        await response.ShouldBeCreatedAsync();
        (await host.CountClientsAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Register_FormEncodedBody_Returns400InvalidClientMetadata()
    {
        await using var host = await TestHost.StartAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["redirect_uris"] = RedirectUri,
            ["client_name"] = "form",
        });

        using var response = await host.Client.PostAsync(RegisterPath, form);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
        (await host.CountClientsAsync()).ShouldBe(0);
    }
}
