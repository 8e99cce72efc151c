using System.Net;
using System.Text.Json;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Management;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Testing.Https;
using DynReg.Middleware.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.InteropTests.Infrastructure;

/// <summary>
/// The provider as a host app runs it: the package on Kestrel at https://127.0.0.1:{free port}/
/// with the test certificate, the registration flag on, one domain connection with one user, one
/// API and the Management API's machine-to-machine client. Stopped when disposed.
/// </summary>
public sealed class KestrelProvider : IAsyncDisposable
{
    public const string Connection = "Username-Password-Authentication";
    public const string Email = "jane@example.com";
    public const string Password = "correct horse battery staple";
    public const string UserName = "Jane Doe";
    public const string Api = "appointments:api";
    public const string ApiScope = "read:appointments";
    public const string ManagementClientId = "interop-management-client";
    public const string ManagementClientSecret = "interop-management-client-secret";

    private readonly WebApplication _app;

    private KestrelProvider(WebApplication app, Uri issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    /// <summary>https://127.0.0.1:{port}/, ending in '/' as Auth0's issuers do.</summary>
    public Uri Issuer { get; }

    public string Authority => Issuer.AbsoluteUri;

    public string ManagementAudience => ManagementApi.Audience(Issuer);

    public IServiceProvider Services => _app.Services;

    public static async Task<KestrelProvider> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPorts.Free();
            var issuer = LoopbackPorts.HttpsOrigin(port);
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
            builder.Logging.ClearProviders();
            builder.WebHost.ListenOnLoopbackHttps(TestCertificate.Shared, port);
            builder.Services.AddDynamicClientRegistration(o =>
                {
                    o.Issuer = issuer;
                    o.InitialTenantSettings.EnableDynamicClientRegistration = true;
                })
                .AddSigningKey(TestHost.SigningKey)
                .AddConnection(Connection, isDomainConnection: true)
                .AddApi(Api, ApiScope)
                .AddInMemoryUsers(new InMemoryUser(Connection, Email, Password, UserName))
                .AddMachineToMachineClient(ManagementClientId, ManagementClientSecret, ManagementApi.Audience(issuer), [.. ManagementApi.AllScopes]);

            var app = builder.Build();
            app.MapDynamicRegistration();
            try
            {
                await app.StartAsync();
                return new KestrelProvider(app, issuer);
            }
            catch (IOException) when (attempt < 3)
            {
                // The port was taken between choosing and binding it: choose again.
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A handler for the library under test that trusts exactly the test certificate: never follows
    /// redirects and keeps no cookies (a <see cref="Browser"/> on top keeps them).
    /// </summary>
    public static HttpMessageHandler Handler() => TestCertificate.Handler(TestCertificate.Shared, allowAutoRedirect: false, useCookies: false);

    /// <summary>An HttpClient to the provider that trusts the test certificate.</summary>
    public HttpClient NewClient() => new(Handler()) { BaseAddress = Issuer, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A cookie-keeping browser stand-in over real TLS; follows no redirects.</summary>
    public Browser NewBrowser() => new(Handler(), Issuer);

    /// <summary>Registers a client with a plain JSON POST (RFC 7591 §3.1); returns client_id and client_secret.</summary>
    public async Task<(string ClientId, string ClientSecret)> RegisterAsync(string clientName, params string[] redirectUris)
    {
        using var client = NewClient();
        using var response = await client.PostAsync("oidc/register", JsonContent(JsonSerializer.Serialize(new { client_name = clientName, redirect_uris = redirectUris })));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        using var body = JsonDocument.Parse(text);
        return (body.RootElement.GetProperty("client_id").GetString()!, body.RootElement.GetProperty("client_secret").GetString()!);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
