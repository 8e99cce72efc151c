using System.Security.Cryptography.X509Certificates;
using DynReg.Middleware.Testing.Browsers;
using DynReg.Middleware.Testing.Https;
using Microsoft.Playwright;

namespace DynReg.Middleware.LockTests;

/// <summary>
/// One headless Debian Chromium for the whole run and one self-signed certificate for 127.0.0.1
/// that every Kestrel host uses (LOCK.md §(e) 1: Lock's hosted-page path needs https, and the SAN
/// must name 127.0.0.1).
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private readonly Chromium _chromium = new() { LaunchTimeout = 60_000 };

    public IBrowser Browser => _chromium.Browser;

    public X509Certificate2 Certificate { get; } = TestCertificate.Create();

    public Task InitializeAsync() => _chromium.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        Certificate.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Chromium";
}
