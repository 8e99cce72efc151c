using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using DynReg.Middleware.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Tests.Hosting;

public sealed class OptionsValidationTests
{
    private static readonly Uri ValidIssuer = new("https://login.example.com/");

    private static Task<OptionsValidationException> StartShouldFailAsync(Action<DynamicRegistrationOptions> configure, bool addSigningKey = true)
        => Should.ThrowAsync<OptionsValidationException>(() => BareHost.StartAsync(
            o =>
            {
                o.Issuer = ValidIssuer;
                configure(o);
            },
            b =>
            {
                if (addSigningKey)
                {
                    b.AddSigningKey(TestHost.SigningKey);
                }
            }));

    [Fact]
    public async Task Start_ValidOptions_Starts()
    {
        await using var app = await BareHost.StartAsync(o => o.Issuer = ValidIssuer, b => b.AddSigningKey(TestHost.SigningKey));

        await DiscoveryShouldNameAsync(app, "https://login.example.com/");
    }

    [Fact]
    public async Task Start_NoIssuer_FailsNamingIssuer()
    {
        var exception = await StartShouldFailAsync(o => o.Issuer = null);

        exception.Message.ShouldContain("DynamicRegistrationOptions.Issuer");
        exception.Message.ShouldContain("not set");
    }

    [Fact]
    public async Task Start_RelativeIssuer_FailsNamingIssuer()
    {
        var exception = await StartShouldFailAsync(o => o.Issuer = new Uri("tenant/", UriKind.Relative));

        exception.Message.ShouldContain("DynamicRegistrationOptions.Issuer");
        exception.Message.ShouldContain("not absolute");
    }

    [Theory]
    [InlineData("http://login.example.com/", "uses http")]
    [InlineData("http://10.0.0.1/", "uses http")]
    [InlineData("ftp://login.example.com/", "uses ftp")]
    [InlineData("https://login.example.com/tenant", "does not end in '/'")]
    [InlineData("https://login.example.com", "does not end in '/'")]
    [InlineData("https://login.example.com/?tenant=a", "query")]
    [InlineData("https://login.example.com/?", "query")]
    [InlineData("https://login.example.com/#top", "fragment")]
    [InlineData("https://user@login.example.com/", "user information")]
    [InlineData("https://LOGIN.example.com/", "https://login.example.com/")]
    [InlineData("https://login.example.com:443/", "https://login.example.com/")]
    [InlineData("https://login.example.com/a/../tenant/", "https://login.example.com/tenant/")]
    public async Task Start_UnacceptableIssuer_FailsNamingIssuer(string issuer, string explanation)
    {
        var exception = await StartShouldFailAsync(o => o.Issuer = new Uri(issuer));

        exception.Message.ShouldContain("DynamicRegistrationOptions.Issuer");
        exception.Message.ShouldContain(explanation);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("http://localhost:5000/")]
    [InlineData("http://[::1]:5000/")]
    [InlineData("https://login.example.com/")]
    [InlineData("https://login.example.com:8443/tenant/")]
    public async Task Start_AcceptableIssuer_Starts(string issuer)
    {
        await using var app = await BareHost.StartAsync(o => o.Issuer = new Uri(issuer), b => b.AddSigningKey(TestHost.SigningKey));

        await DiscoveryShouldNameAsync(app, issuer);
    }

    /// <summary>The host that started also answers: discovery is served and names the configured issuer.</summary>
    private static async Task DiscoveryShouldNameAsync(WebApplication app, string issuer)
    {
        using var client = app.GetTestClient();
        client.BaseAddress = new Uri(new Uri(issuer).GetLeftPart(UriPartial.Authority));
        using var response = await client.GetAsync("/.well-known/openid-configuration");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        document.RootElement.GetProperty("issuer").GetString().ShouldBe(issuer);
    }

    [Fact]
    public async Task Start_NoSigningKey_FailsNamingWhatToCall()
    {
        var exception = await StartShouldFailAsync(_ => { }, addSigningKey: false);

        exception.Message.ShouldContain("AddSigningKey(");
        exception.Message.ShouldContain("AddDevelopmentSigningKey(");
    }

    [Fact]
    public async Task Start_1024BitKey_FailsNamingKeySize()
    {
        using var weak = RSA.Create(1024);

        var exception = await Should.ThrowAsync<OptionsValidationException>(() => BareHost.StartAsync(o => o.Issuer = ValidIssuer, b => b.AddSigningKey(weak)));

        exception.Message.ShouldContain("2048");
        exception.Message.ShouldContain("1024");
        exception.Message.ShouldContain("AddSigningKey");
    }

    [Theory]
    [InlineData(nameof(RegistrationOptions.MaxRequestBodyBytes), 0)]
    [InlineData(nameof(RegistrationOptions.MaxRequestBodyBytes), 2 * 1024 * 1024)]
    [InlineData(nameof(RegistrationOptions.MaxRedirectUris), 0)]
    [InlineData(nameof(RegistrationOptions.MaxUriLength), 10)]
    [InlineData(nameof(RegistrationOptions.MaxStringLength), 0)]
    [InlineData(nameof(RegistrationOptions.MaxContacts), -1)]
    public async Task Start_RegistrationLimitOutOfRange_FailsNamingTheLimit(string limit, int value)
    {
        var exception = await StartShouldFailAsync(o => typeof(RegistrationOptions).GetProperty(limit)!.SetValue(o.Registration, value));

        exception.Message.ShouldContain($"DynamicRegistrationOptions.Registration.{limit}");
    }

    // Seeded clients pass the same client rules as registered ones (RFC 6749 §3.1.2: absolute, no
    // fragment; RFC 9700 §2.6: no script schemes; OpenID Connect Registration 1.0 §2: web clients use https).
    [Theory]
    [InlineData("https://app.example.com/cb#top", "must not contain a fragment")]
    [InlineData("javascript:alert(1)", "must not use the 'javascript' scheme")]
    [InlineData("/relative/cb", "must be an absolute URI")]
    [InlineData("http://app.example.com/cb", "uses http, which web clients may use only on a loopback host for the code flow (https otherwise)")]
    public async Task Start_SeededClientWithBadRedirectUri_FailsNamingClientAndRule(string redirectUri, string rule)
    {
        var exception = await StartShouldFailAsync(o => o.Clients.Add(new FirstPartyClientOptions
        {
            ClientId = "web-app",
            GrantTypes = ["authorization_code"],
            RedirectUris = [redirectUri],
        }));

        exception.Message.ShouldContain("Client 'web-app'");
        exception.Message.ShouldContain(rule);
    }

    [Fact]
    public async Task Start_SeededWebClientWithHttpsRedirectUri_Starts()
    {
        await using var app = await BareHost.StartAsync(
            o =>
            {
                o.Issuer = ValidIssuer;
                o.Clients.Add(new FirstPartyClientOptions { ClientId = "web-app", GrantTypes = ["authorization_code"], RedirectUris = ["https://localhost:5001/cb"] });
            },
            b => b.AddSigningKey(TestHost.SigningKey));
    }

    [Fact]
    public async Task Start_SeveralProblems_ReportsEach()
    {
        var exception = await StartShouldFailAsync(o =>
        {
            o.Issuer = null;
            o.Registration.MaxRequestBodyBytes = 0;
        });

        exception.Failures.Count().ShouldBe(2);
    }

    [Fact]
    public void MapDynamicRegistration_WithoutAddDynamicClientRegistration_ThrowsSayingWhatToCall()
    {
        var app = BareHost.CreateBuilder().Build();

        var exception = Should.Throw<InvalidOperationException>(() => app.MapDynamicRegistration());

        exception.Message.ShouldContain("AddDynamicClientRegistration(");
        exception.Message.ShouldContain("MapDynamicRegistration()");
    }
}
