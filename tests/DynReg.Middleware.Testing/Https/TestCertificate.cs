using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DynReg.Middleware.Testing.Https;

/// <summary>
/// Self-signed TLS server certificates made for a test run (SAN IP:127.0.0.1), and client handlers
/// that trust exactly one of them: a real chain build with it as the only root, the host name
/// checked by the TLS stack as usual. Nothing is added to any certificate store.
/// </summary>
public static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> SharedInstance = new(Create);

    /// <summary>One certificate for the whole test run, for tests that need no certificate of their own.</summary>
    public static X509Certificate2 Shared => SharedInstance.Value;

    /// <summary>RSA 2048, CN and SAN 127.0.0.1, not a CA, serverAuth, valid from five minutes ago for a day.</summary>
    public static X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // serverAuth

        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        // Through PKCS#12 so the private key is usable by the TLS stack (Kestrel on Linux needs this).
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>
    /// Whether a server presenting <paramref name="presented"/> is trusted when only
    /// <paramref name="trusted"/> is: name mismatches are never forgiven, the chain must end in it.
    /// </summary>
    public static bool IsTrusted(X509Certificate2 trusted, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is not X509Certificate2 certificate || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>A handler that trusts <paramref name="trusted"/> and nothing else.</summary>
    public static SocketsHttpHandler Handler(X509Certificate2 trusted, bool allowAutoRedirect = true, bool useCookies = true) => new()
    {
        AllowAutoRedirect = allowAutoRedirect,
        UseCookies = useCookies,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, errors) => IsTrusted(trusted, presented, errors),
        },
    };

    /// <summary>An HttpClient to <paramref name="baseAddress"/> that trusts <paramref name="trusted"/> and nothing else.</summary>
    public static HttpClient Client(X509Certificate2 trusted, Uri baseAddress, bool allowAutoRedirect = true)
        => new(Handler(trusted, allowAutoRedirect)) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
}
