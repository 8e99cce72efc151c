using Microsoft.Playwright;

namespace DynReg.Middleware.SampleTests;

/// <summary>
/// One Debian Chromium per test class, driven by Playwright for .NET through the Node.js
/// driver its NuGet package ships; Playwright's browser download is never used.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium package. test.sh installs it; without it the tests fail, never skip.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The flags a closed network needs (no background, update or sync traffic, no QUIC).</summary>
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: TestResults/screenshots at the repository root.</summary>
    public string ScreenshotDirectory { get; } = Path.Combine(SampleProcess.RepositoryRoot(), "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing: install Debian's chromium package (apt-get install chromium); ./test.sh does this.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
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
