using System.Net;
using System.Net.Sockets;

namespace DynReg.Middleware.Testing.Https;

public static class LoopbackPorts
{
    /// <summary>A loopback port free right now (a host's issuer must be known before Kestrel starts).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>https://127.0.0.1:{port}/</summary>
    public static Uri HttpsOrigin(int port) => new($"https://127.0.0.1:{port}/");
}
