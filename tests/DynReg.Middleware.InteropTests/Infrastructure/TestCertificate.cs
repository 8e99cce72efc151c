using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DynReg.Middleware.InteropTests.Infrastructure;

/// <summary>
/// A self-signed TLS server certificate made for this test run (SAN IP:127.0.0.1), and client
/// handlers that trust exactly it: a real chain build with it as the only root, host name checked
/// by the TLS stack as usual. Nothing is added to any certificate store.
/// </summary>
public static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> Instance = new(Create);

    public static X509Certificate2 Certificate => Instance.Value;

    /// <summary>
    /// A handler for the library under test: never follows redirects and, unless asked, keeps no
    /// cookies (a <see cref="Testing.Browser"/> on top keeps them).
    /// </summary>
    public static HttpClientHandler Handler(bool useCookies = false) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = useCookies,
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors),
    };

    public static bool IsTrusted(X509Certificate2? certificate, SslPolicyErrors errors)
    {
        // Name mismatch or no certificate are never forgiven; "untrusted root" is decided below.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private static X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=DynReg interop tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // serverAuth

        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        // Through PKCS#12 so the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }
}
