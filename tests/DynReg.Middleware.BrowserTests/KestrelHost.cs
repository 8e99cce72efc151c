using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
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
        Issuer = new Uri($"https://127.0.0.1:{port}/");
        ClientOrigin = new Uri($"https://127.0.0.1:{clientPort}/");
        Http = new HttpClient(new SocketsHttpHandler
        {
            // The test trusts exactly the certificate it made, nothing else.
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString(),
            },
        })
        { BaseAddress = Issuer };
    }

    public Uri Issuer { get; }

    /// <summary>A second origin on the same server (another port): a client app that is not the issuer's origin.</summary>
    public Uri ClientOrigin { get; }

    public X509Certificate2 Certificate { get; }

    public HttpClient Http { get; }

    public static async Task<KestrelHost> StartAsync()
    {
        var certificate = CreateCertificate();
        var port = FreePort();
        var clientPort = FreePort();
        var issuer = new Uri($"https://127.0.0.1:{port}/");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate));
            kestrel.Listen(IPAddress.Loopback, clientPort, listen => listen.UseHttps(certificate));
        });

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

    /// <summary>RSA 2048, SAN IP:127.0.0.1, serverAuth; exported and re-imported so the private key is usable by TLS everywhere.</summary>
    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
