using System.Collections.Concurrent;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DynReg.Middleware.Testing.Browsers;

/// <summary>
/// Keeps a browser on 127.0.0.1: requests there go through, any other is given to an optional
/// answer (a local stand-in for a CDN, say) or else aborted and recorded.
/// </summary>
public static class LoopbackOnly
{
    /// <summary>Routes every request of <paramref name="page"/>; what left 127.0.0.1 and was aborted goes to <paramref name="outside"/>.</summary>
    public static Task RouteAsync(IPage page, ConcurrentQueue<string> outside, Func<IRoute, Task<bool>>? answer = null)
        => page.RouteAsync("**/*", route => HandleAsync(route, outside, answer));

    /// <summary>Routes every request of every page of <paramref name="context"/>, as <see cref="RouteAsync(IPage, ConcurrentQueue{string}, Func{IRoute, Task{bool}}?)"/>.</summary>
    public static Task RouteAsync(IBrowserContext context, ConcurrentQueue<string> outside, Func<IRoute, Task<bool>>? answer = null)
        => context.RouteAsync("**/*", route => HandleAsync(route, outside, answer));

    public static bool IsLoopback(string url) => Uri.TryCreate(url, UriKind.Absolute, out var target) && target.Host == "127.0.0.1";

    /// <summary>
    /// A fresh context (no cookies, the test's self-signed certificate accepted) and page that may
    /// reach 127.0.0.1 only; anything else is aborted and recorded in Outside. The page's console
    /// goes to <paramref name="output"/>.
    /// </summary>
    public static async Task<(IBrowserContext Context, IPage Page, ConcurrentQueue<string> Outside)> NewPageAsync(
        IBrowser browser, ITestOutputHelper output, float timeout)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        context.SetDefaultTimeout(timeout);
        var page = await context.NewPageAsync();
        var outside = new ConcurrentQueue<string>();
        page.Console += (_, message) => output.WriteLine($"console {message.Type}: {message.Text}");
        await RouteAsync(page, outside);
        return (context, page, outside);
    }

    private static async Task HandleAsync(IRoute route, ConcurrentQueue<string> outside, Func<IRoute, Task<bool>>? answer)
    {
        if (IsLoopback(route.Request.Url))
        {
            await route.ContinueAsync();
            return;
        }

        if (answer is not null && await answer(route))
        {
            return;
        }

        outside.Enqueue(route.Request.Url);
        await route.AbortAsync();
    }
}
