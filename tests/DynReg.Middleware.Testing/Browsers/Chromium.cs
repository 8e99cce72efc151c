using Microsoft.Playwright;
using Xunit;

namespace DynReg.Middleware.Testing.Browsers;

/// <summary>
/// A headless Debian Chromium driven by Playwright for .NET through the Node.js driver its NuGet
/// package ships; Playwright's own browser download is never used. Usable as an xunit class or
/// collection fixture as is.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Debian's chromium package. test.sh installs it; without it the tests fail, never skip.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The flags a closed network needs: no background, update or sync traffic, no QUIC, no GPU.</summary>
    public static readonly IReadOnlyList<string> Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    /// <summary>How long launching may take, in milliseconds.</summary>
    public float LaunchTimeout { get; init; } = 30_000;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing: install Debian's chromium package (apt-get install chromium); ./test.sh does this.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Flags,
            Timeout = LaunchTimeout,
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
