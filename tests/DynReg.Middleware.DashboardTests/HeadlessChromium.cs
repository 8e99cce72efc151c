using Microsoft.Playwright;

namespace DynReg.Middleware.DashboardTests;

/// <summary>
/// One headless Debian Chromium per test class (starting it is the slow part); each test gets its
/// own host and its own browser context. Playwright's own browser download is never used.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    /// <summary>Debian's chromium package; test.sh installs it. Missing, the tests fail rather than skip.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    // Nothing in the background: no updates, sync, QUIC or GPU in this closed network.
    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package (./test.sh does).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
            Timeout = 30_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
