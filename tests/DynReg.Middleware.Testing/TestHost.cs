using System.Net.Http.Json;
using System.Security.Cryptography;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Management;
using DynReg.Middleware.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Testing;

/// <summary>
/// A fresh host per test: an ASP.NET Core app with the package added and mapped, served by
/// TestHost. Its HttpClient speaks https to the issuer <see cref="Issuer"/>.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public static readonly Uri Issuer = new("https://localhost/");

    /// <summary>One key for all tests: generating RSA keys is slow, and a test host is made per test.</summary>
    public static readonly RSA SigningKey = RSA.Create(2048);

    /// <summary>A machine-to-machine client every test host declares, granted every Management API scope.</summary>
    public const string ManagementClientId = "management-client";

    public const string ManagementClientSecret = "management-client-secret-for-tests";

    public static readonly string ManagementAudience = Issuer.AbsoluteUri + "api/v2/";

    private readonly WebApplication _app;

    private TestHost(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
        Client.BaseAddress = Issuer;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The TestServer, for browser-like clients (<see cref="Browser"/>) and JwtBearer backchannels.</summary>
    public TestServer Server => _app.GetTestServer();

    /// <summary>A new cookie-keeping browser stand-in.</summary>
    public Browser NewBrowser() => new(Server);

    public IClientStore Clients => Services.GetRequiredService<IClientStore>();

    public IConnectionStore Connections => Services.GetRequiredService<IConnectionStore>();

    public ITenantSettingsStore TenantSettings => Services.GetRequiredService<ITenantSettingsStore>();

    /// <summary>
    /// Registration limits generous enough for tests that register hundreds of clients at once
    /// and start thousands of sign-ins (the limiters still run). Tests of the defaults put them back.
    /// </summary>
    public static void GenerousLimits(DynamicRegistrationOptions options)
    {
        var limits = options.Registration.Limits;
        limits.PermitsPerIpPerMinute = 1_000_000;
        limits.TenantPermitsPerSecond = 1_000_000;
        limits.MaxDynamicClients = 1_000_000;
        options.LoginPage.SignInsStartedPerIpPerMinute = 1_000_000;
    }

    /// <summary>
    /// Starts a host. By default the registration flag is on (most tests exercise registration) and
    /// the registration limits are generous (<see cref="GenerousLimits"/>);
    /// <paramref name="configure"/> runs after that, so a test can turn the flag off or the defaults back on.
    /// </summary>
    public static async Task<TestHost> StartAsync(
        Action<DynamicRegistrationOptions>? configure = null,
        Action<DynamicRegistrationBuilder>? build = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var dynReg = builder.Services.AddDynamicClientRegistration(o =>
        {
            o.Issuer = Issuer;
            o.InitialTenantSettings.EnableDynamicClientRegistration = true;
            GenerousLimits(o);
            configure?.Invoke(o);
        });
        dynReg.AddSigningKey(SigningKey)
            .AddMachineToMachineClient(ManagementClientId, ManagementClientSecret, ManagementAudience, [.. ManagementApi.AllScopes]);
        build?.Invoke(dynReg);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapDynamicRegistration();
        map?.Invoke(app);
        await app.StartAsync();
        return new TestHost(app);
    }

    /// <summary>POSTs raw JSON text to the registration endpoint.</summary>
    public Task<HttpResponseMessage> RegisterAsync(string json, string contentType = "application/json")
        => Client.PostAsync("/oidc/register", new StringContent(json, System.Text.Encoding.UTF8, contentType) { Headers = { ContentType = new(contentType) } });

    /// <summary>POSTs an object serialised as JSON to the registration endpoint.</summary>
    public Task<HttpResponseMessage> RegisterAsync(object body) => Client.PostAsJsonAsync("/oidc/register", body);

    /// <summary>Gets a Management API token from <c>/oauth/token</c> (all scopes unless some are named).</summary>
    public async Task<string> GetManagementTokenAsync(params string[] scopes)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ManagementClientId,
            ["client_secret"] = ManagementClientSecret,
            ["audience"] = ManagementAudience,
        };
        if (scopes.Length > 0)
        {
            form["scope"] = string.Join(' ', scopes);
        }

        using var response = await Client.PostAsync("/oauth/token", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>An HttpRequestMessage carrying a bearer token.</summary>
    public static HttpRequestMessage Authorized(HttpMethod method, string path, string token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>JSON text as request content.</summary>
    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>How many dynamically registered clients the store holds: the truth for "nothing was stored" assertions.</summary>
    public async Task<int> CountClientsAsync()
    {
        var all = await Clients.ListAsync(0, int.MaxValue / 2, CancellationToken.None);
        return all.Items.Count(c => c.IsDynamicallyRegistered);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
