using System.Net;
using System.Net.Sockets;

namespace DynReg.Middleware.Testing.Https;

public static class LoopbackPorts
{
    // Below the kernel's ephemeral range (Linux: 32768-60999 by default), so no outgoing
    // connection of a parallel load test can take a port between Free() and the server's bind,
    // and above the ports that system services use.
    private const int Lowest = 20_000;
    private static readonly int Highest = EphemeralRangeStart() - 1;

    // Ports handed out in this process: two tests starting at once never get the same one.
    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// A loopback port free right now that no other caller in this process was given (a host's
    /// issuer must be known before Kestrel starts). Chosen at random outside the ephemeral range,
    /// so test assemblies running side by side rarely even look at the same port.
    /// </summary>
    public static int Free()
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(Lowest, Highest + 1);
                if (!Given.Contains(port) && CanListen(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {Highest}.");
    }

    /// <summary>https://127.0.0.1:{port}/</summary>
    public static Uri HttpsOrigin(int port) => new($"https://127.0.0.1:{port}/");

    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (range.Length > 0 && int.TryParse(range[0], out var start) && start > Lowest + 1_000)
            {
                return start;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 32_768;
    }
}
