// HTTPS for the demo: the default launch profile serves https://127.0.0.1:5001 with the
// ASP.NET Core development certificate. Without a certificate the sample says how to create
// one and serves http instead, so `dotnet run` never fails on a fresh machine.
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

internal static class SampleHttps
{
    /// <summary>Where the sample listens when https was asked for but no certificate exists (and no http URL was given).</summary>
    public const string FallbackUrl = "http://127.0.0.1:5000";

    // The extension `dotnet dev-certs https` puts on the ASP.NET Core HTTPS development certificate.
    private const string DevelopmentCertificateOid = "1.3.6.1.4.1.311.84.1.1";

    /// <summary>
    /// When the URLs ask for https, Kestrel has no configured certificate and the development
    /// certificate does not exist, serves the http URLs only (else <see cref="FallbackUrl"/>)
    /// and prints what to run. Otherwise changes nothing.
    /// </summary>
    public static void FallBackToHttpWithoutCertificate(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var urls = (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!urls.Any(IsHttpsUrl) || HasKestrelCertificate(configuration) || DevelopmentCertificates().Count > 0)
        {
            return;
        }

        var http = urls.Where(url => !IsHttpsUrl(url)).ToArray();
        var fallback = http.Length > 0 ? string.Join(';', http) : FallbackUrl;
        builder.WebHost.UseUrls(fallback);
        var https = string.Join(';', urls.Where(IsHttpsUrl));
        Console.Error.WriteLine($"""

            DynReg.Sample: no HTTPS certificate for {https}: the ASP.NET Core development certificate
            does not exist and Kestrel:Certificates:Default is not set.
            Serving {fallback} instead; the demo works there too ({fallback.Split(';')[0]}/demo).
            For https (Lock's hosted login page needs it), create the certificate once and start again:

                dotnet dev-certs https            (with --trust, browsers trust it too)

            """);
    }

    /// <summary>
    /// Runs the app; if Kestrel still cannot find a usable development certificate (for example
    /// an outdated one), says how to replace it instead of ending with a stack trace.
    /// </summary>
    public static void Run(WebApplication app)
    {
        try
        {
            app.Run();
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains("developer certificate", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"""

                DynReg.Sample could not start https: {exception.Message}
                Replace the development certificate and start again:

                    dotnet dev-certs https --clean
                    dotnet dev-certs https            (add --trust to make browsers trust it)

                Or start over http: dotnet run --project samples/DynReg.Sample --launch-profile http

                """);
            Environment.ExitCode = 1;
        }
    }

    /// <summary>
    /// The handler for the sample's own calls to its issuer (JwtBearer's metadata, the demo's
    /// Management API calls). Certificates are validated as usual; in Development, for a loopback
    /// issuer, the certificate this sample itself serves (the development certificate or
    /// Kestrel:Certificates:Default) is accepted too, since nobody else's machine trusts it.
    /// </summary>
    public static HttpMessageHandler SelfBackchannel(Uri issuer, IConfiguration configuration, IHostEnvironment environment)
    {
        var own = environment.IsDevelopment() && issuer.IsLoopback
            ? OwnCertificateHashes(configuration, environment.ContentRootPath)
            : [];
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None
                    || (certificate is not null && own.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256))),
            },
        };
    }

    /// <summary>Whether JwtBearer may fetch metadata over plain http: only from a loopback http issuer.</summary>
    public static bool IsHttpLoopback(Uri issuer) => issuer.Scheme == Uri.UriSchemeHttp && issuer.IsLoopback;

    private static bool IsHttpsUrl(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static bool HasKestrelCertificate(IConfiguration configuration)
        => configuration["Kestrel:Certificates:Default:Path"] is { Length: > 0 }
            || configuration["Kestrel:Certificates:Default:Subject"] is { Length: > 0 }
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();

    // SHA-256 hashes of the certificates Kestrel may serve here.
    private static HashSet<string> OwnCertificateHashes(IConfiguration configuration, string contentRoot)
    {
        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var certificate in DevelopmentCertificates())
        {
            hashes.Add(certificate.GetCertHashString(HashAlgorithmName.SHA256));
            certificate.Dispose();
        }

        if (configuration["Kestrel:Certificates:Default:Path"] is { Length: > 0 } path)
        {
            path = Path.Combine(contentRoot, path);
            using var certificate = Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, configuration["Kestrel:Certificates:Default:Password"])
                : X509CertificateLoader.LoadCertificateFromFile(path);
            hashes.Add(certificate.GetCertHashString(HashAlgorithmName.SHA256));
        }

        return hashes;
    }

    // Valid development certificates with their private key in the current user's store, where Kestrel looks.
    private static List<X509Certificate2> DevelopmentCertificates()
    {
        var found = new List<X509Certificate2>();
        try
        {
            using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var now = DateTime.Now;
            foreach (var certificate in store.Certificates)
            {
                if (certificate.Extensions[DevelopmentCertificateOid] is not null && certificate.HasPrivateKey
                    && certificate.NotBefore <= now && now <= certificate.NotAfter)
                {
                    found.Add(certificate);
                }
                else
                {
                    certificate.Dispose();
                }
            }
        }
        catch (CryptographicException)
        {
            // No store yet: no certificate.
        }

        return found;
    }
}
