using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using DynReg.Middleware.Testing.Https;

namespace DynReg.Middleware.PackageTests;

/// <summary>
/// PackedHost, a minimal app with a PackageReference to the packed DynReg.Middleware (and no
/// reference to the project), builds against the package and serves discovery and open
/// registration when started.
/// </summary>
public sealed class PackedHostTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PackedHost_BuiltAgainstThePackedPackage_ServesDiscoveryAndRegistration()
    {
        var (_, version) = PackedPackage.Find();

        // Restores DynReg.Middleware <version> from artifacts/packages (PackedHost/NuGet.config); a
        // no-op when ./test.sh built it already. No build servers are left behind.
        var (exitCode, output) = await RunAsync(BuildTimeout, PackedPackage.PackedHostDirectory,
            "build", "-c", "Release", "-nologo", "-v", "q", "-nodeReuse:false", "-p:UseSharedCompilation=false", $"-p:DynRegPackageVersion={version}");
        exitCode.ShouldBe(0, output);
        AssertPackageNotProjectReference(version);

        var port = LoopbackPorts.Free();
        var issuer = $"http://127.0.0.1:{port}/";
        var dll = Path.Combine(PackedPackage.PackedHostDirectory, "bin", "Release", "net10.0", "PackedHost.dll");
        using var host = StartHost(dll, issuer);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(issuer), Timeout = TimeSpan.FromSeconds(10) };
            using var discovery = await WaitForDiscoveryAsync(client, host);
            discovery.RootElement.GetProperty("issuer").GetString().ShouldBe(issuer);
            discovery.RootElement.GetProperty("registration_endpoint").GetString().ShouldBe(issuer + "oidc/register");

            using var registration = await client.PostAsync("oidc/register", new StringContent(
                """{"client_name":"Packed Host Client","redirect_uris":["https://app.example.com/callback"]}""", Encoding.UTF8, "application/json"));
            var body = await registration.Content.ReadAsStringAsync();
            registration.StatusCode.ShouldBe(HttpStatusCode.Created, body);
            JsonDocument.Parse(body).RootElement.GetProperty("client_id").GetString().ShouldNotBeNullOrEmpty();
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }
    }

    // The package, from the package folder, is what the host compiled against; no project is referenced.
    private static void AssertPackageNotProjectReference(string version)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(PackedPackage.PackedHostDirectory, "obj", "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("libraries");
        libraries.TryGetProperty($"{PackedPackage.Id}/{version}", out var library).ShouldBeTrue($"{PackedPackage.Id} {version} is not in PackedHost's restore");
        library.GetProperty("type").GetString().ShouldBe("package");
        libraries.EnumerateObject().ShouldAllBe(l => l.Value.GetProperty("type").GetString() == "package");
    }

    private static Process StartHost(string dll, string issuer)
    {
        File.Exists(dll).ShouldBeTrue(dll);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[dll, "--urls", issuer.TrimEnd('/'), $"--DynReg:Issuer={issuer}", "--Logging:LogLevel:Default=Warning"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<JsonDocument> WaitForDiscoveryAsync(HttpClient client, Process host)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline && !host.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(".well-known/openid-configuration");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
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

        throw new InvalidOperationException(host.HasExited
            ? $"PackedHost exited with code {host.ExitCode} before serving discovery."
            : $"PackedHost did not serve discovery within {StartTimeout.TotalSeconds} seconds.");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
