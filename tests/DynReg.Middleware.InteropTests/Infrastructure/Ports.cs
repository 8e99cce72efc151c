using System.Net;
using System.Net.Sockets;

namespace DynReg.Middleware.InteropTests.Infrastructure;

internal static class Ports
{
    /// <summary>A loopback port free right now (the issuer must be known before Kestrel starts).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
