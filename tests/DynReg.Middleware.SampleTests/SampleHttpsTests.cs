using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DynReg.Middleware.Testing.Https;

namespace DynReg.Middleware.SampleTests;

/// <summary>
/// The README's run command on a fresh machine: https is asked for, no development certificate
/// exists, so the sample says how to create one and serves http; after `dotnet dev-certs https`
/// it serves https with that certificate, and its own calls to itself (the API's metadata, the
/// demo's Management API calls) trust it. The machine's own certificate store is never touched:
/// the sample and `dotnet dev-certs` run with a HOME of their own.
/// </summary>
public sealed class SampleHttpsTests
{
    private const string DevelopmentCertificateOid = "1.3.6.1.4.1.311.84.1.1";

    [Fact]
    public async Task FreshMachine_HttpWithAMessageUntilTheDevelopmentCertificateExists_ThenHttps()
    {
        var home = Directory.CreateTempSubdirectory("dynreg-sample-home-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["DOTNET_CLI_HOME"] = home,
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            };
            var httpsPort = LoopbackPorts.Free();
            var httpPort = LoopbackPorts.Free();
            var urls = $"https://127.0.0.1:{httpsPort};http://127.0.0.1:{httpPort}";

            await using (var sample = await SampleProcess.StartAsync(new SampleStart
            {
                Urls = urls,
                BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"),
                Environment = environment,
            }))
            {
                sample.Output.ShouldContain("dotnet dev-certs https");
                using var client = sample.CreateClient();
                var discovery = await client.GetFromJsonAsync<JsonElement>(".well-known/openid-configuration");
                discovery.GetProperty("issuer").GetString().ShouldBe($"http://127.0.0.1:{httpPort}/");
                (await client.GetAsync("demo")).StatusCode.ShouldBe(HttpStatusCode.OK);
            }

            await RunAsync(environment, "dev-certs", "https");

            await using (var sample = await SampleProcess.StartAsync(new SampleStart
            {
                Urls = urls,
                BaseAddress = new Uri($"https://127.0.0.1:{httpsPort}/"),
                Environment = environment,
                TrustCertificate = certificate => certificate.Extensions[DevelopmentCertificateOid] is not null,
            }))
            {
                sample.Output.ShouldNotContain("no HTTPS certificate");
                using var client = sample.CreateClient();
                var discovery = await client.GetFromJsonAsync<JsonElement>(".well-known/openid-configuration");
                discovery.GetProperty("issuer").GetString().ShouldBe($"https://127.0.0.1:{httpsPort}/");

                // The demo's button: the sample calls its own Management API over https, trusting its own certificate.
                using var enable = new HttpRequestMessage(HttpMethod.Post, "demo/enable") { Content = JsonContent.Create(new { }) };
                enable.Headers.Add("Origin", $"https://127.0.0.1:{httpsPort}");
                using var enabled = await client.SendAsync(enable);
                var text = await enabled.Content.ReadAsStringAsync();
                enabled.StatusCode.ShouldBe(HttpStatusCode.OK, text + Environment.NewLine + sample.Output);
                JsonDocument.Parse(text).RootElement.GetProperty("steps").GetArrayLength().ShouldBe(4);

                (await client.GetAsync("api/appointments")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        process.ExitCode.ShouldBe(0, $"dotnet {string.Join(' ', arguments)}: {await stdout}{await stderr}");
    }
}
