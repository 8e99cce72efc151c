using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DynReg.Middleware.SampleTests;

/// <summary>
/// The sample app started from its build output as a child process on a free loopback port,
/// in Development, and stopped (with its process tree) when disposed.
/// </summary>
public sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _keyDirectory;

    private SampleProcess(Process process, Uri baseAddress, string keyDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        _keyDirectory = keyDirectory;
    }

    /// <summary>Where the sample listens, ending in '/': also its issuer.</summary>
    public Uri BaseAddress { get; }

    public static async Task<SampleProcess> StartAsync(params string[] extraArguments)
    {
        var repository = RepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0/
        var sampleDirectory = Path.Combine(repository, "samples", "DynReg.Sample");
        var dll = Path.Combine(sampleDirectory, "bin", configuration, "net10.0", "DynReg.Sample.dll");
        File.Exists(dll).ShouldBeTrue($"The sample must be built first ({configuration}).");

        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var keyDirectory = Directory.CreateTempSubdirectory("dynreg-sample-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = sampleDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[dll, "--urls", baseAddress.AbsoluteUri.TrimEnd('/'), "--environment", "Development",
                     "--Logging:LogLevel:Default=Warning", $"--Sample:DevelopmentKeyPath={Path.Combine(keyDirectory, "key.pem")}", .. extraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var sample = new SampleProcess(process, baseAddress, keyDirectory);
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
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

        await sample.DisposeAsync();
        throw new InvalidOperationException("The sample app did not start within 60 seconds.");
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

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DynReg.Middleware.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (DynReg.Middleware.sln) was not found above the test output.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
