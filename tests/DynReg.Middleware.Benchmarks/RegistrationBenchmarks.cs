using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DynReg.Middleware.Benchmarks.Baseline;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Registration;
using DynReg.Middleware.Stores.InMemory;
using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Benchmarks;

/// <summary>
/// The registration hot path without HTTP: parse, validate and create in the in-memory
/// store, then serialise the 201 body, against the least a registration can do
/// (<see cref="BaselineRegistration"/>). Both start each iteration with an empty store.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(NoisyMachineConfig))]
public class RegistrationBenchmarks
{
    // The permissive seed request of the README and the load test.
    private static readonly byte[] SeedRequest =
        """{"client_name":"My Dynamic Client","redirect_uris":["https://application.example.com/callback"]}"""u8.ToArray();

    private static readonly TenantSettings Tenant = new()
    {
        Flags = new TenantFlags { EnableDynamicClientRegistration = true },
        DynamicClientRegistrationSecurityMode = DynamicClientRegistrationSecurityMode.Permissive,
    };

    // Nobody listens to the meter, so counting costs what it costs in a host without OpenTelemetry.
    private static readonly DynRegMetrics Metrics = new(new ServiceCollection()
        .AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    // No policies are added, so nothing reads the request.
    private static readonly Microsoft.AspNetCore.Http.HttpContext Request = new Microsoft.AspNetCore.Http.DefaultHttpContext();

    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private readonly Utf8JsonWriter _writer;
    private RegistrationHandler _handler = null!;
    private ConcurrentDictionary<string, BaselineClient> _baselineStore = null!;

    public RegistrationBenchmarks() => _writer = new Utf8JsonWriter(_output);

    [IterationSetup]
    public void EmptyStores()
    {
        var options = Options.Create(new DynamicRegistrationOptions());
        options.Value.InitialTenantSettings.EnableDynamicClientRegistration = true;

        // RegisterAsync is past the rate limits; the ceiling is turned off so it measures the same work as before.
        options.Value.Registration.Limits = new RegistrationLimitsOptions { PermitsPerIpPerMinute = 0, TenantPermitsPerSecond = 0, MaxDynamicClients = 0 };
        _handler = new RegistrationHandler(
            new InMemoryClientStore(),
            new InMemoryTenantSettingsStore(options),
            new RegistrationRateLimiter(options),
            [],
            Metrics,
            options,
            TimeProvider.System,
            NullLogger<RegistrationHandler>.Instance);
        _baselineStore = new ConcurrentDictionary<string, BaselineClient>(StringComparer.Ordinal);
    }

    [Benchmark(Description = "Registration: parse + validate + create + 201 body")]
    public async Task<int> Registration()
    {
        var outcome = await _handler.RegisterAsync(SeedRequest, Tenant, Request, CancellationToken.None);
        var response = outcome.Response ?? throw new InvalidOperationException($"Registration refused: {outcome.Error}");
        return Write(response, DynRegJsonContext.Default.RegistrationResponse);
    }

    [Benchmark(Baseline = true, Description = "Baseline: JsonDocument + RNG + SHA-256 + dictionary + body")]
    public int Baseline()
    {
        using var document = JsonDocument.Parse(SeedRequest);
        var response = BaselineRegistration.Register(document.RootElement, _baselineStore, TimeProvider.System)
            ?? throw new InvalidOperationException("Baseline refused the seed request.");
        return Write(response, BaselineJsonContext.Default.BaselineResponse);
    }

    private int Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        JsonSerializer.Serialize(_writer, value, typeInfo);
        return _output.WrittenCount;
    }
}
