using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;

namespace DynReg.Middleware.Testing.Https;

public static class LoopbackKestrel
{
    /// <summary>Kestrel on https://127.0.0.1:{port} for each port (and nothing else), serving <paramref name="certificate"/>.</summary>
    public static IWebHostBuilder ListenOnLoopbackHttps(this IWebHostBuilder webHost, X509Certificate2 certificate, params int[] ports)
    {
        webHost.UseKestrelHttpsConfiguration();
        return webHost.ConfigureKestrel(kestrel =>
        {
            foreach (var port in ports)
            {
                kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate));
            }
        });
    }
}
