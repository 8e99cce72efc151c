using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DynReg.Middleware.Management;
using DynReg.Middleware.Testing.Https;
using DynReg.Middleware.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.LockTests;

/// <summary>
/// The host app of a Lock test: Kestrel on https://127.0.0.1:{free port} with the package, the
/// Lock template loading Lock from Auth0's CDN URL (the browser gets the local bundle instead),
/// registration on, a domain connection and a non-domain one, one user in each, a first-party
/// client, and a page at <see cref="CallbackPath"/> standing in for the client application.
/// </summary>
internal sealed class LockHost : IAsyncDisposable
{
    public const string DomainConnection = "Username-Password-Authentication";
    public const string OtherConnection = "Internal-Staff";
    public const string FirstPartyClientId = "first-party-web";
    public const string FirstPartyClientSecret = "first-party-web-secret-0123456789";
    public const string Email = "jane@example.com";
    public const string Password = "correct horse battery staple";
    public const string BlockedEmail = "blocked@example.com";

    /// <summary>Failed sign-ins per user and IP before too_many_attempts; low so a test reaches it quickly.</summary>
    public const int MaxFailedLogins = 3;
    public const string CallbackPath = "/app/callback";

    private const string ManagementClientId = "management";
    private const string ManagementClientSecret = "management-secret-0123456789";

    private static readonly RSA SigningKey = RSA.Create(2048);

    private readonly WebApplication _app;

    private LockHost(WebApplication app, Uri issuer, HttpClient client)
    {
        _app = app;
        Issuer = issuer;
        Client = client;
    }

    public Uri Issuer { get; }

    /// <summary>An HttpClient to the host (trusting its test certificate) for registration and management calls.</summary>
    public HttpClient Client { get; }

    public string RedirectUri => new Uri(Issuer, CallbackPath).AbsoluteUri;

    /// <summary>Where the host serves Lock itself when asked to (instead of the CDN URL).</summary>
    public const string LockScriptPath = "/js/lock.min.js";

    public static async Task<LockHost> StartAsync(X509Certificate2 certificate, LockBundles.Bundle lockBundle, bool serveLockAssets, bool serveLockScript = false)
    {
        var port = LoopbackPorts.Free();
        var issuer = LoopbackPorts.HttpsOrigin(port);
        var redirectUri = new Uri(issuer, CallbackPath).AbsoluteUri;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.ListenOnLoopbackHttps(certificate, port);
        builder.Logging.ClearProviders();

        builder.Services.AddDynamicClientRegistration(o =>
            {
                o.Issuer = issuer;
                o.InitialTenantSettings.EnableDynamicClientRegistration = true;

                // The client application is this host (https on 127.0.0.1), which implicit needs this for.
                o.Registration.AllowHttpLoopbackRedirectUrisForWebClients = true;
                o.LoginPage.UseLockTemplate(serveLockScript ? LockScriptPath : lockBundle.CdnUrl);
                o.LoginPage.MaxFailedLogins = MaxFailedLogins;
                if (serveLockAssets)
                {
                    o.LoginPage.ServeLockAssets = true;
                    o.LoginPage.LanguageDictionaries["en"] = lockBundle.EnglishDictionary;
                }
            })
            .AddSigningKey(SigningKey)
            .AddMachineToMachineClient(ManagementClientId, ManagementClientSecret, ManagementApi.Audience(issuer), ManagementApi.UpdateConnections, ManagementApi.ReadConnections)
            .AddConnection(DomainConnection, isDomainConnection: true)
            .AddConnection(OtherConnection)
            .AddClient(new FirstPartyClientOptions
            {
                ClientId = FirstPartyClientId,
                ClientSecret = FirstPartyClientSecret,
                Name = "First-Party Web",
                GrantTypes = ["authorization_code"],
                RedirectUris = [redirectUri],
            })
            .AddInMemoryUsers(
                new InMemoryUser(DomainConnection, Email, Password, "Jane Doe"),
                new InMemoryUser(DomainConnection, BlockedEmail, Password, "Blocked User", Blocked: true),
                new InMemoryUser(OtherConnection, Email, Password, "Jane Doe"));

        var app = builder.Build();
        app.MapDynamicRegistration();
        if (serveLockScript)
        {
            app.MapGet(LockScriptPath, () => Results.Bytes(lockBundle.Script, "application/javascript"));
        }

        app.MapGet(CallbackPath, () => Results.Content("<!DOCTYPE html><title>Client</title><h1 id=\"signed-in\">Back at the client</h1>", "text/html"));
        await app.StartAsync();

        var client = TestCertificate.Client(certificate, issuer);
        return new LockHost(app, issuer, client);
    }

    /// <summary>Registers a client through Dynamic Client Registration (always third-party) and returns its id.</summary>
    public async Task<string> RegisterClientAsync(string name)
    {
        using var response = await Client.PostAsJsonAsync("/oidc/register", new Dictionary<string, object>
        {
            ["client_name"] = name,
            ["redirect_uris"] = new[] { RedirectUri },
        });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("client_id").GetString()!;
    }

    /// <summary>Enables the non-domain connection for the first-party client through the Management API (enabled_clients).</summary>
    public async Task EnableOtherConnectionForFirstPartyClientAsync()
    {
        var token = await ManagementTokenAsync();
        using var list = new HttpRequestMessage(HttpMethod.Get, $"/api/v2/connections?name={OtherConnection}");
        list.Headers.Authorization = new("Bearer", token);
        using var listed = await Client.SendAsync(list);
        var connections = JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement;
        listed.StatusCode.ShouldBe(HttpStatusCode.OK, connections.ToString());
        var id = connections.EnumerateArray().Single(c => c.GetProperty("name").GetString() == OtherConnection).GetProperty("id").GetString();

        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v2/connections/{id}")
        {
            Content = JsonContent.Create(new { enabled_clients = new[] { FirstPartyClientId } }),
        };
        patch.Headers.Authorization = new("Bearer", token);
        using var patched = await Client.SendAsync(patch);
        patched.StatusCode.ShouldBe(HttpStatusCode.OK, await patched.Content.ReadAsStringAsync());
    }

    /// <summary>Redeems an authorization code of the first-party client at /oauth/token.</summary>
    public async Task<JsonElement> RedeemCodeAsync(string code)
    {
        using var response = await Client.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = FirstPartyClientId,
            ["client_secret"] = FirstPartyClientSecret,
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
        }));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<string> ManagementTokenAsync()
    {
        using var response = await Client.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ManagementClientId,
            ["client_secret"] = ManagementClientSecret,
            ["audience"] = ManagementApi.Audience(Issuer),
        }));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
