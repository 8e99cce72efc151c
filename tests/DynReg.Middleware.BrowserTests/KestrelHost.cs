using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DynReg.Middleware.Testing.Https;
using DynReg.Middleware.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.BrowserTests;

/// <summary>
/// A real Kestrel server on https://127.0.0.1:{free port} (and nothing else), with a self-signed
/// certificate made here, the package added and mapped, and a tiny client page at /app/callback.
/// </summary>
public sealed class KestrelHost : IAsyncDisposable
{
    public const string Connection = "Username-Password-Authentication";
    public const string Email = "jane@example.com";
    public const string Password = "correct horse battery staple";
    public const string Audience = "appointments:api";
    public const string Scope = "read:appointments";

    private readonly WebApplication _app;

    private KestrelHost(WebApplication app, X509Certificate2 certificate, int port, int clientPort)
    {
        _app = app;
        Certificate = certificate;
        Issuer = LoopbackPorts.HttpsOrigin(port);
        ClientOrigin = LoopbackPorts.HttpsOrigin(clientPort);

        // The test trusts exactly the certificate it made, nothing else.
        Http = new HttpClient(TestCertificate.Handler(certificate)) { BaseAddress = Issuer };
    }

    public Uri Issuer { get; }

    /// <summary>A second origin on the same server (another port): a client app that is not the issuer's origin.</summary>
    public Uri ClientOrigin { get; }

    public X509Certificate2 Certificate { get; }

    public HttpClient Http { get; }

    public static async Task<KestrelHost> StartAsync()
    {
        var certificate = TestCertificate.Create();
        var port = LoopbackPorts.Free();
        var clientPort = LoopbackPorts.Free();
        var issuer = LoopbackPorts.HttpsOrigin(port);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.ListenOnLoopbackHttps(certificate, port, clientPort);

        builder.Services.AddDynamicClientRegistration(o =>
        {
            o.Issuer = issuer;
            o.InitialTenantSettings.EnableDynamicClientRegistration = true;

            // OpenID Connect Registration §2 keeps loopback redirect URIs away from implicit web
            // clients; this test's client lives on 127.0.0.1, so it takes the development option.
            o.Registration.AllowHttpLoopbackRedirectUrisForWebClients = true;
        })
            .AddSigningKey(RSA.Create(2048))
            .AddConnection(Connection, isDomainConnection: true)
            .AddApi(Audience, Scope)
            .AddInMemoryUsers(new InMemoryUser(Connection, Email, Password, "Jane Doe"));

        var app = builder.Build();
        app.MapDynamicRegistration();
        app.MapGet("/app/callback", () => Results.Content(
            "<!DOCTYPE html><html><head><title>callback</title></head><body><h1 id=\"callback\">callback</h1></body></html>", "text/html; charset=utf-8"));
        await app.StartAsync();
        return new KestrelHost(app, certificate, port, clientPort);
    }

    /// <summary>Registers a client over HTTP (RFC 7591) and returns its client_id.</summary>
    public async Task<string> RegisterClientAsync(string name, params string[] redirectUris)
    {
        using var response = await Http.PostAsJsonAsync("/oidc/register", new Dictionary<string, object>
        {
            ["client_name"] = name,
            ["redirect_uris"] = redirectUris,
        });
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("client_id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
