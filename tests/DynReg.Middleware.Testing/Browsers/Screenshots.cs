using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DynReg.Middleware.Testing.Browsers;

public static class Screenshots
{
    /// <summary>Where screenshots go: TestResults/screenshots at the repository root, else beside the test assembly.</summary>
    public static string Directory { get; } = Find();

    /// <summary>Saves a full-page screenshot of <paramref name="page"/> as <paramref name="name"/> and says where.</summary>
    public static async Task<string> SaveAsync(IPage page, string name, ITestOutputHelper output)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        Console.Error.WriteLine($"screenshot: {path}");
        return path;
    }

    private static string Find()
        => RepositoryRoot.Find() is { } root
            ? Path.Combine(root, "TestResults", "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
}
