using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Management;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Testing.Https;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>
/// One app instance on real Kestrel at http://127.0.0.1:{free port}, with the package on Redis
/// stores. Instances made with the same key prefix and issuer act as one provider behind a load balancer.
/// </summary>
public sealed class RedisHost : IAsyncDisposable
{
    public const string ManagementClientId = "management-client";
    public const string ManagementClientSecret = "management-client-secret-for-redis-tests";

    private readonly WebApplication _app;

    private RedisHost(WebApplication app, Uri address, Uri issuer)
    {
        _app = app;
        Address = address;
        Issuer = issuer;
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 64 }) { BaseAddress = address };
    }

    /// <summary>Where this instance listens.</summary>
    public Uri Address { get; }

    /// <summary>The provider's issuer, the same for every instance of one provider.</summary>
    public Uri Issuer { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public IClientStore Clients => Services.GetRequiredService<IClientStore>();

    /// <summary>Starts an instance. <paramref name="issuer"/> defaults to its own address; pass the first instance's for a second one.</summary>
    public static async Task<RedisHost> StartAsync(
        Action<RedisStoreOptions> redis,
        Uri? issuer = null,
        bool addSigningKey = true,
        Action<DynamicRegistrationBuilder>? build = null)
    {
        var port = LoopbackPorts.Free();
        var address = new Uri($"http://127.0.0.1:{port}/");
        issuer ??= address;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));

        var dynReg = builder.Services.AddDynamicClientRegistration(o =>
        {
            o.Issuer = issuer;
            o.InitialTenantSettings.EnableDynamicClientRegistration = true;

            // The load and scale-out tests register thousands of clients from one address.
            TestHost.GenerousLimits(o);
        })
            .AddRedisStores(redis)
            .AddMachineToMachineClient(ManagementClientId, ManagementClientSecret, ManagementApi.Audience(issuer), [.. ManagementApi.AllScopes]);
        if (addSigningKey)
        {
            dynReg.AddSigningKey(TestHost.SigningKey);
        }

        build?.Invoke(dynReg);
        var app = builder.Build();
        app.MapDynamicRegistration();
        await app.StartAsync();
        return new RedisHost(app, address, issuer);
    }

    /// <summary>Registers a client (RFC 7591); the status and, on 201, the client_id.</summary>
    public async Task<(HttpStatusCode Status, string? ClientId, string Body)> RegisterAsync(string name = "Scale-out client")
    {
        using var response = await Http.PostAsJsonAsync("/oidc/register", new Dictionary<string, object>
        {
            ["client_name"] = name,
            ["redirect_uris"] = new[] { "https://app.example.com/callback" },
        });
        var body = await response.Content.ReadAsStringAsync();
        string? clientId = null;
        if (response.StatusCode == HttpStatusCode.Created)
        {
            using var json = JsonDocument.Parse(body);
            clientId = json.RootElement.GetProperty("client_id").GetString();
        }

        return (response.StatusCode, clientId, body);
    }

    /// <summary>A Management API token from this instance's <c>/oauth/token</c>.</summary>
    public async Task<string> GetManagementTokenAsync()
    {
        using var response = await Http.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ManagementClientId,
            ["client_secret"] = ManagementClientSecret,
            ["audience"] = ManagementApi.Audience(Issuer),
        }));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
