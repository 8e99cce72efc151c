using DynReg.Middleware.Testing.Browsers;
using Microsoft.Playwright;

namespace DynReg.Middleware.BrowserTests;

/// <summary>One Kestrel host and one Debian Chromium per test class.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private readonly Chromium _chromium = new();

    public KestrelHost Host { get; private set; } = null!;

    public IBrowser Browser => _chromium.Browser;

    public async Task InitializeAsync()
    {
        Host = await KestrelHost.StartAsync();
        await _chromium.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}
