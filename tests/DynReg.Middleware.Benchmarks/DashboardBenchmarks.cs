using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Benchmarks;

/// <summary>
/// The dashboard's applications page with 50,000 registered clients in the in-memory store, served
/// through the whole pipeline (TestServer, the host's authentication and policy, routing, anti-forgery,
/// rendering) and read to the end: page 1, a middle page, a search that matches nothing (the
/// bounded scan at its longest) and a search by an exact client id.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class DashboardBenchmarks
{
    public const int ClientCount = 50_000;

    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private string _middleClientId = null!;

    [GlobalSetup]
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddDynamicClientRegistration(o => o.Issuer = new Uri("https://localhost/"))
            .AddSigningKey(RSA.Create(2048));
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, SignedInHandler>("Bench", _ => { });
        builder.Services.AddAuthorization(o => o.AddPolicy("DynRegAdmin", p => p.AddAuthenticationSchemes("Bench").RequireAuthenticatedUser()));

        _app = builder.Build();
        _app.MapDynamicRegistration();
        _app.MapDynamicRegistrationDashboard("DynRegAdmin");
        await _app.StartAsync();
        _client = _app.GetTestClient();
        _client.BaseAddress = new Uri("https://localhost/");

        // Clients as registration makes them: a random 32-character id, a name, one or two redirect URIs.
        var store = _app.Services.GetRequiredService<IClientStore>();
        var hash = ClientSecrets.Hash("benchmark-secret");
        var created = DateTimeOffset.UtcNow.AddDays(-30);
        for (var i = 0; i < ClientCount; i++)
        {
            var id = SecureRandom.Alphanumeric(32);
            await store.CreateAsync(new Client
            {
                ClientId = id,
                ClientName = $"Dynamic Client {i}",
                ClientSecretHash = hash,
                RedirectUris = i % 2 == 0 ? [$"https://app{i}.example.com/callback"] : [$"https://app{i}.example.com/callback", $"https://app{i}.example.com/callback2"],
                GrantTypes = ["authorization_code", "implicit"],
                ResponseTypes = ["code", "token", "id_token token", "id_token"],
                IsDynamicallyRegistered = true,
                CreatedAt = created.AddSeconds(i),
            }, CancellationToken.None);
            if (i == ClientCount / 2)
            {
                _middleClientId = id;
            }
        }

        // Each page must be what it claims to be before it is timed.
        await ExpectAsync(FirstPage, "50,000 applications, in the order they were created. Page 1 of 1000.");
        await ExpectAsync(MiddlePage, ">Dynamic Client 24950<");
        await ExpectAsync(SearchNoMatch, "No applications match.");
        await ExpectAsync("/dynreg/admin/applications?q=" + _middleClientId, _middleClientId);
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Benchmark(Description = "Applications page 1 (50,000 clients)")]
    public Task<int> ApplicationsFirstPage() => GetAsync(FirstPage);

    [Benchmark(Description = "Applications page 500 of 1,000 (50,000 clients)")]
    public Task<int> ApplicationsMiddlePage() => GetAsync(MiddlePage);

    [Benchmark(Description = "Search, no match: bounded scan of 50,000")]
    public Task<int> SearchWithoutMatch() => GetAsync(SearchNoMatch);

    [Benchmark(Description = "Search by exact client id")]
    public Task<int> SearchExactId() => GetAsync("/dynreg/admin/applications?q=" + _middleClientId);

    private const string FirstPage = "/dynreg/admin/applications";
    private const string MiddlePage = "/dynreg/admin/applications?page=500";
    private const string SearchNoMatch = "/dynreg/admin/applications?q=no-such-application";

    private async Task<int> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK ? body.Length : throw new InvalidOperationException($"{path}: {response.StatusCode}");
    }

    private async Task ExpectAsync(string path, string text)
    {
        using var response = await _client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !html.Contains(text, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{path} answered {response.StatusCode} without '{text}'.");
        }
    }

    /// <summary>The host's sign-in stand-in: every request is the signed-in tenant owner.</summary>
    private sealed class SignedInHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
            => Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "owner")], Scheme.Name)), Scheme.Name)));
    }

    /// <summary>Milliseconds per operation: BenchmarkDotNet picks the invocation count; the median and minimum say most on a busy machine.</summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15).WithId("Dashboard"));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        }
    }
}
