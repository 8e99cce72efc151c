using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DynReg.Middleware.Benchmarks.Baseline;
using DynReg.Middleware.Management;
using DynReg.Middleware.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DynReg.Middleware.Benchmarks;

/// <summary>
/// Client-credentials tokens without HTTP (issue 3): the whole <c>POST /oauth/token</c> path
/// (<see cref="TokenHandler"/> on a <see cref="DefaultHttpContext"/> with the form body: read the
/// form, authenticate the client by its secret, check audience and scopes against its grant,
/// sign, write the JSON answer) against only signing an RS256 JWT with the same claims and the
/// same key (<see cref="BaselineToken"/>) and writing the same answer.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(NoisyMachineSlowConfig))]
public class TokenBenchmarks
{
    private const string ClientId = "benchmark-management-client";
    private const string ClientSecret = "benchmark-management-secret";
    private static readonly Uri Issuer = new("http://127.0.0.1:5000/");

    private readonly MemoryStream _responseBody = new();
    private ServiceProvider _services = null!;
    private TokenHandler _handler = null!;
    private BaselineToken _baseline = null!;
    private byte[] _form = null!;
    private string _audience = null!;
    private string _scope = null!;

    [GlobalSetup]
    public async Task SetUp()
    {
        var key = RSA.Create(2048);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDynamicClientRegistration(o => o.Issuer = Issuer)
            .AddMachineToMachineClient(ClientId, ClientSecret, ManagementApi.Audience(Issuer), [.. ManagementApi.AllScopes])
            .AddSigningKey(key);
        _services = services.BuildServiceProvider();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        _handler = _services.GetRequiredService<TokenHandler>();
        _baseline = new BaselineToken(key, Issuer.AbsoluteUri, TimeSpan.FromHours(24), TimeProvider.System);
        _audience = ManagementApi.Audience(Issuer);
        _scope = string.Join(' ', ManagementApi.AllScopes);
        _form = Encoding.UTF8.GetBytes(
            $"grant_type=client_credentials&client_id={ClientId}&client_secret={ClientSecret}"
            + $"&audience={Uri.EscapeDataString(_audience)}&scope={Uri.EscapeDataString(_scope)}");

        // Both must answer with a token of the same size, or the comparison is off.
        await ClientCredentials();
        var full = JsonDocument.Parse(_responseBody.ToArray()).RootElement.GetProperty("access_token").GetString()!;
        Baseline();
        var bare = JsonDocument.Parse(_responseBody.ToArray()).RootElement.GetProperty("access_token").GetString()!;
        if (full.Length != bare.Length)
        {
            throw new InvalidOperationException($"The tokens differ in length: {full.Length} (handler) vs {bare.Length} (baseline).");
        }
    }

    [GlobalCleanup]
    public void CleanUp() => _services.Dispose();

    [Benchmark(Description = "Client credentials: form + client auth + grant checks + RS256 + JSON")]
    public async Task<long> ClientCredentials()
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.ContentLength = _form.Length;
        context.Request.Body = new MemoryStream(_form, writable: false);
        _responseBody.SetLength(0);
        context.Response.Body = _responseBody;

        var result = await _handler.HandleAsync(context);
        await result.ExecuteAsync(context);
        return context.Response.StatusCode == StatusCodes.Status200OK
            ? _responseBody.Length
            : throw new InvalidOperationException($"The token endpoint answered {context.Response.StatusCode}: {Encoding.UTF8.GetString(_responseBody.ToArray())}");
    }

    [Benchmark(Baseline = true, Description = "Baseline: JsonWebTokenHandler.CreateToken (RS256, same claims) + JSON")]
    public long Baseline()
    {
        var token = _baseline.Sign(ClientId, _audience, _scope);
        _responseBody.SetLength(0);
        JsonSerializer.Serialize(_responseBody, new BaselineTokenResponse(token, "Bearer", (long)_baseline.Lifetime.TotalSeconds, _scope),
            BaselineTokenJsonContext.Default.BaselineTokenResponse);
        return _responseBody.Length;
    }
}
