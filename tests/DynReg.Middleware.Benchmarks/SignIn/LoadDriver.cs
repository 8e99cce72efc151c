using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace DynReg.Middleware.Benchmarks.SignIn;

/// <summary>
/// The sign-in load driver (issue 4), a console mode of the benchmark project:
/// <code>
/// dotnet run -c Release --project tests/DynReg.Middleware.Benchmarks -- signin --url http://127.0.0.1:PORT --seconds 20 --concurrency 16
/// dotnet run -c Release --project tests/DynReg.Middleware.Benchmarks -- codes --url http://127.0.0.1:PORT --count 20000 --concurrency 16
/// dotnet run -c Release --project tests/DynReg.Middleware.Benchmarks -- mcp --url http://127.0.0.1:PORT --seconds 20 --concurrency 16
/// </code>
/// against the sample in Development (wrk/run-signin.sh starts it and runs both). Only loopback
/// URLs are accepted; every run is bounded in time and stops by itself.
/// </summary>
internal static class LoadDriver
{
    public const string Usage = """
        usage: signin --url http://127.0.0.1:PORT [--seconds 20] [--warmup 5] [--concurrency 16] [--rounds 2]
               codes  --url http://127.0.0.1:PORT [--count 20000] [--concurrency 16] [--rounds 2]
               mcp    --url http://127.0.0.1:PORT [--seconds 20] [--warmup 5] [--concurrency 16] [--rounds 2]
        common: [--server-pid PID (reports the server's CPU time per operation)] [--user demo@example.com] [--password demo-password-change-me] [--audience appointments:api]
                [--connection Username-Password-Authentication]
                [--management-client-id sample-management-client] [--management-client-secret sample-management-secret-change-me]
        """;

    public static async Task<int> RunAsync(string command, string[] args)
    {
        DriverOptions options;
        try
        {
            options = DriverOptions.Parse(args);
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine(exception.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        // A hard stop whatever happens: set-up, warm-up, the rounds and their baselines, with room to spare.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Warmup + options.Rounds * (options.Seconds * 2 + 300) + 120));
        using var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(60) };
        var flows = new SignInFlows(http, options);

        Console.WriteLine($"{command}: {options.Url} concurrency {options.Concurrency}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        try
        {
            await flows.PrepareAsync(stop.Token);
            Console.WriteLine($"prepared: registration on, {options.Connection} a domain connection, client {flows.ClientId} registered, consent given");
            return command switch
            {
                "signin" => await SignInAsync(flows, options, "sign-in round trips", "authorize → credential post → callback → tokens in the fragment", flows.SignInImplicitAsync, stop.Token),
                "mcp" => await SignInAsync(flows, options, "MCP connects", "401 → RFC 9728 and RFC 8414 metadata → registration → authorize → credential post → callback → consent → token → tools/call", flows.McpConnectAsync, stop.Token),
                _ => await CodesAsync(flows, options, stop.Token),
            };
        }
        catch (Exception exception) when (exception is DriverException or HttpRequestException or OperationCanceledException)
        {
            Console.Error.WriteLine($"{command} failed: {exception.Message}");
            return 1;
        }
    }

    private static async Task<int> SignInAsync(
        SignInFlows flows, DriverOptions options, string what, string steps, Func<CancellationToken, Task<(string, string)>> flow, CancellationToken cancellationToken)
    {
        if (options.Warmup > 0)
        {
            var warm = await RunForAsync(options.Concurrency, TimeSpan.FromSeconds(options.Warmup), _ => flow(cancellationToken), cancellationToken);
            Console.WriteLine($"warm-up {options.Warmup} s: {warm.Completed} {what}, {warm.Errors} errors");
        }

        // Rounds alternate the load and the baseline, so both see the same machine.
        var runs = new List<RunResult>();
        var floors = new List<FloorResult>();
        CryptoFloor? floor = null;
        for (var round = 1; round <= options.Rounds; round++)
        {
            var cpuBefore = CpuTime.OfProcess(options.ServerPid);
            var run = await RunForAsync(options.Concurrency, TimeSpan.FromSeconds(options.Seconds), _ => flow(cancellationToken), cancellationToken);
            run.ServerCpu = CpuTime.OfProcess(options.ServerPid) - cpuBefore;
            Report($"round {round}: {what} ({steps})", run);
            runs.Add(run);
            if (run.Completed == 0)
            {
                break;
            }

            floor ??= new CryptoFloor(options.Password, run.Sample.AccessToken, run.Sample.IdToken);
            floors.Add(CryptoFloor.Measure(floor.SignIn, options.Concurrency, TimeSpan.FromSeconds(options.Seconds)));
            Console.WriteLine($"round {round}: baseline {floors[^1]}; load average {LoadAverage()}");
        }

        Summarise(what, "PasswordHasher verify + 2 RS256 signatures of the same tokens", options, runs, floors);
        return runs.All(r => r.Errors == 0 && r.Completed > 0) ? 0 : 1;
    }

    private static async Task<int> CodesAsync(SignInFlows flows, DriverOptions options, CancellationToken cancellationToken)
    {
        // Warm-up: a batch through both steps, enough for tiered compilation to settle.
        var warm = await ExchangeAsync(flows, Math.Min(options.Count, 2000), options.Concurrency, cancellationToken, serverPid: null);
        Console.WriteLine($"warm-up: {warm.Exchange.Completed} codes exchanged, {warm.Exchange.Errors} errors");

        var runs = new List<RunResult>();
        var floors = new List<FloorResult>();
        CryptoFloor? floor = null;
        for (var round = 1; round <= options.Rounds; round++)
        {
            var (issued, issuing, run) = await ExchangeAsync(flows, options.Count, options.Concurrency, cancellationToken, options.ServerPid);
            Console.WriteLine($"round {round}: {issued} codes issued in {issuing.TotalSeconds:F1} s ({issued / issuing.TotalSeconds:F1}/s; {options.Concurrency} browsers, each signed in once, then authorize on the session)");
            Report($"round {round}: code exchanges at /oauth/token ({issued} codes, PKCE S256, client_secret_post)", run);
            runs.Add(run);
            if (run.Completed == 0)
            {
                break;
            }

            floor ??= new CryptoFloor(options.Password, run.Sample.AccessToken, run.Sample.IdToken);
            floors.Add(CryptoFloor.Measure(floor.SignTokens, options.Concurrency, TimeSpan.FromSeconds(Math.Clamp(run.Elapsed.TotalSeconds, 5, 20))));
            Console.WriteLine($"round {round}: baseline {floors[^1]}; load average {LoadAverage()}");
        }

        Summarise("code exchanges", "2 RS256 signatures of the same tokens", options, runs, floors);
        return runs.All(r => r.Errors == 0 && r.Completed == options.Count) ? 0 : 1;
    }

    // Issues `count` codes (each browser signs in once with code + PKCE, then authorizes on its
    // session), then redeems them all concurrently; only the redemption is the measured run.
    private static async Task<(int Issued, TimeSpan Issuing, RunResult Exchange)> ExchangeAsync(
        SignInFlows flows, int count, int concurrency, CancellationToken cancellationToken, int? serverPid)
    {
        var issued = new ConcurrentQueue<(string Code, string Verifier)>();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = count / concurrency + (worker < count % concurrency ? 1 : 0);
            foreach (var code in mine == 0 ? [] : await flows.CodesAsync(mine, cancellationToken))
            {
                issued.Enqueue(code);
            }
        }));
        var issuing = Stopwatch.GetElapsedTime(started);
        var total = issued.Count;
        var cpuBefore = CpuTime.OfProcess(serverPid);
        var run = await RunQueueAsync(concurrency, issued, item => flows.RedeemAsync(item.Code, item.Verifier, cancellationToken), cancellationToken);
        run.ServerCpu = CpuTime.OfProcess(serverPid) - cpuBefore;
        return (total, issuing, run);
    }

    private static void Summarise(string what, string baseline, DriverOptions options, List<RunResult> runs, List<FloorResult> floors)
    {
        var best = runs.MaxBy(r => r.PerSecond)!;
        var bestFloor = floors.Count == 0 ? 0 : floors.Max(f => f.PerSecond);
        Console.WriteLine();
        Console.WriteLine($"== summary: {what}, best of {runs.Count} rounds, concurrency {options.Concurrency}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine($"{what}: {best.PerSecond:F1}/s  [rounds: {Join(runs.Select(r => r.PerSecond))}]  "
            + $"p50 {best.Percentile(0.50):F1} ms  p95 {best.Percentile(0.95):F1} ms  errors {runs.Sum(r => r.Errors)}");
        Console.WriteLine($"baseline (in-process, {options.Concurrency} threads: {baseline}): {bestFloor:F1}/s  [rounds: {Join(floors.Select(f => f.PerSecond))}]");
        Console.WriteLine($"ratio {what}/baseline (operations per second): {(bestFloor > 0 ? 100 * best.PerSecond / bestFloor : 0):F1}%");

        // CPU time per operation: the server's, against the baseline's own (least of the rounds each).
        var serverCpu = runs.Where(r => r.ServerCpuPerOperation is not null).Select(r => r.ServerCpuPerOperation!.Value).ToList();
        if (serverCpu.Count > 0 && floors.Count > 0)
        {
            var leastServer = serverCpu.Min();
            var leastFloor = floors.Min(f => f.CpuPerOperation);
            Console.WriteLine($"CPU ms per operation: server {leastServer:F3} [rounds: {Join(serverCpu, "F3")}], baseline {leastFloor:F3} [rounds: {Join(floors.Select(f => f.CpuPerOperation), "F3")}]; "
                + $"baseline/server {100 * leastFloor / leastServer:F1}%");
        }
    }

    private static string Join(IEnumerable<double> values, string format = "F1")
        => string.Join(' ', values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));

    // Each worker repeats the flow until the time is up; errors are counted and the first kept.
    private static async Task<RunResult> RunForAsync(int concurrency, TimeSpan duration, Func<int, Task<(string, string)>> flow, CancellationToken cancellationToken)
    {
        var result = new RunResult();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            while (Stopwatch.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
            {
                await result.TimeAsync(() => flow(worker));
            }
        }, cancellationToken)));
        result.Elapsed = Stopwatch.GetElapsedTime(started);
        return result;
    }

    private static async Task<RunResult> RunQueueAsync<T>(int concurrency, ConcurrentQueue<T> queue, Func<T, Task<(string, string)>> flow, CancellationToken cancellationToken)
    {
        var result = new RunResult();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!cancellationToken.IsCancellationRequested && queue.TryDequeue(out var item))
            {
                await result.TimeAsync(() => flow(item));
            }
        }, cancellationToken)));
        result.Elapsed = Stopwatch.GetElapsedTime(started);
        return result;
    }

    private static void Report(string what, RunResult run)
    {
        Console.WriteLine($"== {what}");
        Console.WriteLine($"completed {run.Completed} in {run.Elapsed.TotalSeconds:F1} s: {run.PerSecond:F1}/s; errors {run.Errors}{(run.FirstError is null ? "" : " (first: " + run.FirstError + ")")}");
        if (run.ServerCpuPerOperation is { } cpu)
        {
            Console.WriteLine($"server CPU: {run.ServerCpu!.Value.TotalSeconds:F2} s, {cpu:F3} ms per operation");
        }

        if (run.Completed > 0)
        {
            Console.WriteLine($"latency ms: p50 {run.Percentile(0.50):F1}  p95 {run.Percentile(0.95):F1}  p99 {run.Percentile(0.99):F1}  max {run.Percentile(1):F1}");
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private sealed class RunResult
    {
        private int _completed;
        private int _errors;

        public ConcurrentBag<double> Latencies { get; } = [];

        public int Completed => _completed;

        public int Errors => _errors;

        public string? FirstError { get; private set; }

        public (string AccessToken, string IdToken) Sample { get; private set; }

        public TimeSpan Elapsed { get; set; }

        public double PerSecond => Completed / Elapsed.TotalSeconds;

        /// <summary>The server's processor time over the run, when its process id was given.</summary>
        public TimeSpan? ServerCpu { get; set; }

        public double? ServerCpuPerOperation => ServerCpu is { } cpu && Completed > 0 ? cpu.TotalMilliseconds / Completed : null;

        /// <summary>The latency (ms) that a share <paramref name="p"/> of the completed flows stayed under (nearest rank).</summary>
        public double Percentile(double p)
        {
            var sorted = Latencies.ToArray();
            Array.Sort(sorted);
            return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        }

        public async Task TimeAsync(Func<Task<(string, string)>> flow)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var tokens = await flow();
                Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (Interlocked.Increment(ref _completed) == 1)
                {
                    Sample = tokens;
                }
            }
            catch (Exception exception) when (exception is DriverException or HttpRequestException or TaskCanceledException)
            {
                if (Interlocked.Increment(ref _errors) == 1)
                {
                    FirstError = exception.Message;
                }
            }
        }
    }
}

/// <summary>The driver's command line.</summary>
internal sealed record DriverOptions
{
    public required Uri Url { get; init; }

    public int Seconds { get; init; } = 20;

    public int Warmup { get; init; } = 5;

    public int Concurrency { get; init; } = 16;

    public int Count { get; init; } = 20_000;

    public int Rounds { get; init; } = 2;

    /// <summary>The server's process id, to report its CPU time per operation (Linux).</summary>
    public int? ServerPid { get; init; }

    public string Username { get; init; } = "demo@example.com";

    public string Password { get; init; } = "demo-password-change-me";

    public string Audience { get; init; } = "appointments:api";

    public string Connection { get; init; } = "Username-Password-Authentication";

    public string ManagementClientId { get; init; } = "sample-management-client";

    public string ManagementClientSecret { get; init; } = "sample-management-secret-change-me";

    public static DriverOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        if (!values.Remove("url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("--url http://127.0.0.1:PORT is required");
        }

        // Load only ever goes to this machine.
        if (!(uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address))))
        {
            throw new ArgumentException($"--url must be a loopback address, not {uri.Host}");
        }

        var options = new DriverOptions
        {
            Url = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"),
            Seconds = Number(values, "seconds", 20, 1, 300),
            Warmup = Number(values, "warmup", 5, 0, 60),
            Concurrency = Number(values, "concurrency", 16, 1, 256),
            Count = Number(values, "count", 20_000, 1, 100_000),
            Rounds = Number(values, "rounds", 2, 1, 5),
            ServerPid = values.ContainsKey("server-pid") ? Number(values, "server-pid", 0, 1, int.MaxValue) : null,
        };
        options = options with
        {
            Username = Take(values, "user") ?? options.Username,
            Password = Take(values, "password") ?? options.Password,
            Audience = Take(values, "audience") ?? options.Audience,
            Connection = Take(values, "connection") ?? options.Connection,
            ManagementClientId = Take(values, "management-client-id") ?? options.ManagementClientId,
            ManagementClientSecret = Take(values, "management-client-secret") ?? options.ManagementClientSecret,
        };
        return values.Count == 0 ? options : throw new ArgumentException("unknown option --" + values.Keys.First());
    }

    private static string? Take(Dictionary<string, string> values, string name) => values.Remove(name, out var value) ? value : null;

    private static int Number(Dictionary<string, string> values, string name, int fallback, int min, int max)
    {
        if (!values.Remove(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"--{name} must be a whole number from {min} to {max}");
    }
}
