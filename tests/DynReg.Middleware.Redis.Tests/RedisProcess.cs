using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DynReg.Middleware.Testing.Https;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>
/// A redis-server process these tests started themselves, on a free loopback port, so a test
/// may stop and start it. Without <paramref name="dataDirectory"/> it keeps nothing on disk;
/// with one it appends every write to a file synced at once, so a restart keeps what was acknowledged.
/// </summary>
public sealed class RedisProcess : IDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(15);
    private readonly string? _dataDirectory;
    private Process? _process;

    private RedisProcess(int port, string? dataDirectory)
    {
        Port = port;
        _dataDirectory = dataDirectory;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>redis-server from PATH, or null when it is not installed.</summary>
    public static string? FindServer()
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    public static RedisProcess Start(bool durable = false)
    {
        var directory = durable ? Directory.CreateTempSubdirectory("dynreg-redis-").FullName : null;
        var redis = new RedisProcess(LoopbackPorts.Free(), directory);
        redis.Start();
        return redis;
    }

    public void Start()
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var server = FindServer() ?? throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server).");
        var start = new ProcessStartInfo(server) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntil(accepting: true);
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash or a pulled cable would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }

        WaitUntil(accepting: false);
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        if (_dataDirectory is not null)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private IEnumerable<string> Arguments()
    {
        yield return "--port";
        yield return Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--bind";
        yield return "127.0.0.1";
        yield return "--save";
        yield return string.Empty;
        yield return "--daemonize";
        yield return "no";
        if (_dataDirectory is null)
        {
            yield return "--appendonly";
            yield return "no";
        }
        else
        {
            yield return "--dir";
            yield return _dataDirectory;
            yield return "--appendonly";
            yield return "yes";
            yield return "--appendfsync";
            yield return "always";
        }
    }

    private void WaitUntil(bool accepting)
    {
        var deadline = Stopwatch.StartNew();
        while (Accepts() != accepting)
        {
            if (deadline.Elapsed > StartPatience)
            {
                throw new TimeoutException($"redis-server on port {Port} did not {(accepting ? "start" : "stop")} within {StartPatience}.");
            }

            Thread.Sleep(20);
        }
    }

    private bool Accepts()
    {
        try
        {
            using var socket = new TcpClient();
            socket.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
