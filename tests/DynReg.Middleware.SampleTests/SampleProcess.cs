using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Testing.Https;

namespace DynReg.Middleware.SampleTests;

/// <summary>
/// The sample app started from its build output as a child process on a free loopback port,
/// in Development, and stopped (with its process tree) when disposed. Over http, or over https
/// with a self-signed certificate made for the test and given to Kestrel in the standard way
/// (<c>Kestrel:Certificates:Default</c>).
/// </summary>
public sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _keyDirectory;
    private readonly ConcurrentQueue<string> _output;
    private readonly Func<X509Certificate2, bool> _trust;

    private SampleProcess(Process process, Uri baseAddress, string keyDirectory, Func<X509Certificate2, bool> trust, ConcurrentQueue<string> output)
    {
        _process = process;
        BaseAddress = baseAddress;
        _keyDirectory = keyDirectory;
        _trust = trust;
        _output = output;
    }

    /// <summary>Where the sample listens, ending in '/': also its issuer.</summary>
    public Uri BaseAddress { get; }

    /// <summary>What the sample printed so far (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static Task<SampleProcess> StartAsync(params string[] extraArguments) => StartAsync(new SampleStart { Arguments = extraArguments });

    public static Task<SampleProcess> StartAsync(bool https, params string[] extraArguments) => StartAsync(new SampleStart { Https = https, Arguments = extraArguments });

    public static async Task<SampleProcess> StartAsync(SampleStart options)
    {
        var repository = RepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0/
        var sampleDirectory = Path.Combine(repository, "samples", "DynReg.Sample");
        var dll = Path.Combine(sampleDirectory, "bin", configuration, "net10.0", "DynReg.Sample.dll");
        File.Exists(dll).ShouldBeTrue($"The sample must be built first ({configuration}).");

        var keyDirectory = Directory.CreateTempSubdirectory("dynreg-sample-").FullName;
        var baseAddress = options.BaseAddress ?? new Uri($"{(options.Https ? "https" : "http")}://127.0.0.1:{LoopbackPorts.Free()}/");
        var urls = options.Urls ?? baseAddress.AbsoluteUri.TrimEnd('/');
        var extraArguments = options.Arguments;
        var trust = options.TrustCertificate ?? (static _ => false);
        if (options.Https)
        {
            // A certificate made for this run, given to Kestrel in the standard way; trusted by its hash only.
            var certificatePath = Path.Combine(keyDirectory, "localhost.pfx");
            var hash = CreateCertificate(certificatePath, "sample-test");
            trust = certificate => certificate.GetCertHashString(HashAlgorithmName.SHA256) == hash;
            extraArguments = [$"--Kestrel:Certificates:Default:Path={certificatePath}", "--Kestrel:Certificates:Default:Password=sample-test", .. extraArguments];
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = sampleDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }

        foreach (var argument in (string[])[dll, "--urls", urls, "--environment", "Development",
                     "--Logging:LogLevel:Default=Warning", $"--Sample:DevelopmentKeyPath={Path.Combine(keyDirectory, "key.pem")}",
                     // A SQLite file of this process's own: parallel tests never share state.
                     $"--ConnectionStrings:DynReg=Data Source={Path.Combine(keyDirectory, "dynreg.db")}", .. extraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        var output = new ConcurrentQueue<string>();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Keep(output, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var sample = new SampleProcess(process, baseAddress, keyDirectory, trust, output);
        using var client = sample.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(10);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(".well-known/openid-configuration");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return sample;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        var printed = sample.Output;
        await sample.DisposeAsync();
        throw new InvalidOperationException($"The sample app did not start within 120 seconds. It printed:{Environment.NewLine}{printed}");
    }

    /// <summary>A client for the sample that trusts the certificate it serves (as the test decided), nothing else.</summary>
    public HttpClient CreateClient() => new(CreateHandler()) { BaseAddress = BaseAddress };

    /// <summary>The handler of <see cref="CreateClient"/>: trusts the certificate the sample serves, nothing else.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var trust = _trust;
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => errors == SslPolicyErrors.None
                    || (certificate is X509Certificate2 served && trust(served)),
            },
        };
    }

    /// <summary>Kills the process at once (SIGKILL on Linux: no shutdown, nothing flushed by the app).</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_keyDirectory, recursive: true);
    }

    public static string RepositoryRoot() => Testing.RepositoryRoot.Get();

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is not null && output.Count < 2000)
        {
            output.Enqueue(line);
        }
    }

    /// <summary>A test certificate for 127.0.0.1 written as a PFX; returns its SHA-256 hash.</summary>
    private static string CreateCertificate(string path, string password)
    {
        using var certificate = TestCertificate.Create();
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }
}

/// <summary>How <see cref="SampleProcess"/> starts the sample.</summary>
public sealed record SampleStart
{
    /// <summary>Serve https with a self-signed certificate made for the test (Kestrel:Certificates:Default).</summary>
    public bool Https { get; init; }

    /// <summary>The --urls to give, instead of one free loopback port; then <see cref="BaseAddress"/> says where to expect the sample.</summary>
    public string? Urls { get; init; }

    public Uri? BaseAddress { get; init; }

    /// <summary>Which certificate the test's own clients accept (besides a trusted one), when not <see cref="Https"/>.</summary>
    public Func<X509Certificate2, bool>? TrustCertificate { get; init; }

    /// <summary>Environment variables for the sample's process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string[] Arguments { get; init; } = [];
}
