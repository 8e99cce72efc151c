using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Testing.Browsers;
using DynReg.Middleware.Testing.Https;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DynReg.Middleware.SampleTests;

/// <summary>
/// The MCP TypeScript SDK's own client against the sample's MCP server, end to end: its 401, the
/// SDK's discovery (RFC 9728, RFC 8414) and registration, the sign-in and consent in headless
/// Chromium, the code redeemed by the SDK, the tool, and a refresh when the access token stops
/// working. Per SDK package (pinned; installed by mcp-client/install.sh, which test.sh runs) and
/// per security mode. The client is mcp-client/driver.mjs; this test is its browser.
/// </summary>
public sealed class McpTypeScriptSdkTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>
{
    private const string McpScope = "mcp:tools";
    private static readonly TimeSpan AuthorizeTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan DriverTimeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("@modelcontextprotocol/sdk", "1.32.2", "permissive")]
    [InlineData("@modelcontextprotocol/sdk", "1.32.2", "strict")]
    [InlineData("@modelcontextprotocol/client", "2.4.0", "permissive")]
    [InlineData("@modelcontextprotocol/client", "2.4.0", "strict")]
    public async Task McpTypeScriptSdk_RegistersSignsInCallsTheToolAndRefreshes(string package, string version, string mode)
    {
        await using var sample = await SampleProcess.StartAsync("--DynReg:InitialTenantSettings:EnableDynamicClientRegistration=true");
        await SampleSignIn.PromoteConnectionAsync(sample);
        if (mode == "strict")
        {
            await SampleSignIn.SetSecurityModeAsync(sample, mode);
        }

        var issuer = sample.BaseAddress.AbsoluteUri;
        var mcpUrl = issuer + "mcp";
        var callbackPort = LoopbackPorts.Free();
        await using var driver = McpClientDriver.Start(package, version, mcpUrl, issuer, callbackPort);
        var (context, page, outside) = await LoopbackOnly.NewPageAsync(chromium.Browser, output, timeout: 30_000);
        await using var _ = context;
        var screenshot = $"mcp-{package.Split('/')[1]}-{mode}";

        try
        {
            // The SDK's own discovery and registration end in redirectToAuthorization.
            var authorize = new Uri(await driver.WaitForAsync("AUTHORIZE", AuthorizeTimeout));
            authorize.GetLeftPart(UriPartial.Path).ShouldBe(issuer + "authorize");
            var query = Browser.ResponseParameters(authorize, fragment: false);
            query["resource"].ShouldBe(mcpUrl);
            query["code_challenge_method"].ShouldBe("S256");
            query["response_type"].ShouldBe("code");
            query["redirect_uri"].ShouldBe($"http://127.0.0.1:{callbackPort}/callback");
            output.WriteLine($"authorization request: {authorize.Query}");

            await page.GotoAsync(authorize.AbsoluteUri);
            await page.FillAsync("#email", SampleSignIn.Email);
            await page.FillAsync("#password", SampleSignIn.Password);
            await page.ClickAsync("#login-button");
            await Expect(page.Locator("#accept")).ToBeVisibleAsync();
            await page.ClickAsync("#accept");
            await page.WaitForURLAsync(url => new Uri(url).Port == callbackPort);
            await Expect(page.Locator("#result")).ToHaveTextAsync("Signed in: you may close this window.");

            var exitCode = await driver.WaitForExitAsync(DriverTimeout);
            exitCode.ShouldBe(0, driver.Transcript);
            outside.ShouldBeEmpty("requests that left 127.0.0.1");
            output.WriteLine(driver.Transcript);

            var registered = driver.Json("REGISTERED");
            var clientId = registered.GetProperty("client_id").GetString()!;
            query["client_id"].ShouldBe(clientId);
            if (mode == "strict")
            {
                clientId.ShouldStartWith("tpc_");
            }
            else
            {
                clientId.ShouldNotStartWith("tpc_");
            }

            // RFC 9207: the provider says who answered; the driver (v1) or the SDK (v2) checked it.
            driver.Json("CALLBACK").GetProperty("iss").GetString().ShouldBe(issuer);

            var claims = driver.Json("CLAIMS");
            var subject = claims.GetProperty("sub").GetString()!;
            subject.ShouldStartWith("auth0|");
            claims.GetProperty("scope").GetString()!.Split(' ').ShouldContain(McpScope);
            AppointmentsOf(driver.Json("RESULT"), subject);

            // The refresh: a new access token, for the same user, API and scope; the tool answers again.
            var refreshed = driver.Json("REFRESHED");
            refreshed.GetProperty("new_access_token").GetBoolean().ShouldBeTrue();
            refreshed.GetProperty("token_requests").EnumerateArray().Select(g => g.GetString()).ShouldBe(["authorization_code", "refresh_token"]);
            var refreshedClaims = refreshed.GetProperty("claims");
            refreshedClaims.GetProperty("sub").GetString().ShouldBe(subject);
            refreshedClaims.GetProperty("aud").ToString().ShouldContain(mcpUrl);
            AppointmentsOf(driver.Json("RESULT_AFTER_REFRESH"), subject);
        }
        catch
        {
            await Screenshots.SaveAsync(page, screenshot + "-failure.png", output);
            output.WriteLine(driver.Transcript);
            output.WriteLine(sample.Output);
            throw;
        }
    }

    /// <summary>The tool's answer: the JSON of GET /api/appointments for <paramref name="subject"/>, as text.</summary>
    private static void AppointmentsOf(JsonElement result, string subject)
    {
        if (result.TryGetProperty("isError", out var isError))
        {
            isError.ValueKind.ShouldNotBe(JsonValueKind.True, result.ToString());
        }

        var text = result.GetProperty("content").EnumerateArray().Single(c => c.GetProperty("type").GetString() == "text").GetProperty("text").GetString()!;
        var answer = JsonDocument.Parse(text).RootElement;
        answer.GetProperty("sub").GetString().ShouldBe(subject);
        answer.GetProperty("appointments").EnumerateArray().Select(a => a.GetProperty("title").GetString()).ShouldContain("Dental check-up");
    }

    /// <summary>
    /// mcp-client/driver.mjs under node, with one SDK package from install.sh's cache: its stdout
    /// lines (<c>WORD text</c>) as they come, its stderr kept; killed with its tree when disposed.
    /// </summary>
    private sealed class McpClientDriver : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
        private readonly ConcurrentQueue<string> _transcript = new();
        private readonly Dictionary<string, string> _seen = [];
        private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private McpClientDriver(Process process) => _process = process;

        /// <summary>Everything the driver printed so far, stdout and stderr, for failure messages.</summary>
        public string Transcript => string.Join(Environment.NewLine, _transcript);

        public static McpClientDriver Start(string package, string version, string mcpUrl, string issuer, int callbackPort)
        {
            var cache = Environment.GetEnvironmentVariable("DYNREG_MCP_CLIENT")
                ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                    ? xdg
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "dynreg-mcp-client");
            var modules = Path.Combine(cache, $"{package}@{version}", "node_modules");
            File.Exists(Path.Combine(modules, package, "package.json")).ShouldBeTrue(
                $"{package}@{version} is not installed under {modules}: run tests/DynReg.Middleware.SampleTests/mcp-client/install.sh (./test.sh does).");

            var script = Path.Combine(SampleProcess.RepositoryRoot(), "tests", "DynReg.Middleware.SampleTests", "mcp-client", "driver.mjs");
            var start = new ProcessStartInfo("node")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])[script, "--package", package.Split('/')[1], "--modules", modules, "--server", mcpUrl,
                         "--issuer", issuer, "--port", callbackPort.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                start.ArgumentList.Add(argument);
            }

            var process = new Process { StartInfo = start };
            var driver = new McpClientDriver(process);
            process.OutputDataReceived += (_, line) => driver.OnOutput(line.Data);
            process.ErrorDataReceived += (_, line) =>
            {
                if (line.Data is not null)
                {
                    driver._transcript.Enqueue("stderr: " + line.Data);
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return driver;
        }

        /// <summary>The text of the next line that starts with <paramref name="word"/>.</summary>
        public async Task<string> WaitForAsync(string word, TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await foreach (var line in _lines.Reader.ReadAllAsync(cancel.Token))
                {
                    if (Split(line) is { } parts && parts.Word == word)
                    {
                        return parts.Text;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The driver printed no {word} line within {timeout.TotalSeconds} s:{Environment.NewLine}{Transcript}");
            }

            throw new InvalidOperationException($"The driver ended without a {word} line:{Environment.NewLine}{Transcript}");
        }

        /// <summary>Waits for the driver to end (and its stdout to be read through); its exit code.</summary>
        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
                await _stdoutClosed.Task.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The driver did not end within {timeout.TotalSeconds} s:{Environment.NewLine}{Transcript}");
            }

            return _process.ExitCode;
        }

        /// <summary>The JSON of the (last) line that started with <paramref name="word"/>.</summary>
        public JsonElement Json(string word)
        {
            lock (_seen)
            {
                _seen.TryGetValue(word, out var text).ShouldBeTrue($"no {word} line:{Environment.NewLine}{Transcript}");
                return JsonDocument.Parse(text!).RootElement.Clone();
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
                // Never started.
            }

            _process.Dispose();
        }

        private void OnOutput(string? line)
        {
            if (line is null)
            {
                _lines.Writer.TryComplete();
                _stdoutClosed.TrySetResult();
                return;
            }

            _transcript.Enqueue(line);
            if (Split(line) is { } parts)
            {
                lock (_seen)
                {
                    _seen[parts.Word] = parts.Text;
                }
            }

            _lines.Writer.TryWrite(line);
        }

        private static (string Word, string Text)? Split(string line)
            => line.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? (line[..space], line[(space + 1)..]) : null;
    }
}
