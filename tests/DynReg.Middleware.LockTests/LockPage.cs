using System.Collections.Concurrent;
using System.Text.Json;
using DynReg.Middleware.Testing.Browsers;
using Microsoft.Playwright;

namespace DynReg.Middleware.LockTests;

/// <summary>
/// One browser context and page for a Lock test. Routing: 127.0.0.1 goes to Kestrel; Auth0's CDN
/// URL of the Lock script is answered with the local bundle; every other request is aborted and
/// recorded (LOCK.md §(e) 6-7). Also records the JSONP files Lock loaded and its credential posts.
/// </summary>
internal sealed class LockPage : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _aborted = new();
    private readonly ConcurrentQueue<(string Path, Task<string> Body)> _scripts = new();
    private readonly ConcurrentQueue<(string? ContentType, string? Body)> _credentialPosts = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly string _screenshots;
    private int _cdnScriptsServed;
    private readonly string _label;

    private LockPage(IBrowserContext context, IPage page, string label)
    {
        Context = context;
        Page = page;
        _label = label;
        _screenshots = Path.Combine(AppContext.BaseDirectory, "lock-screenshots");
        Directory.CreateDirectory(_screenshots);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Every request that would have left 127.0.0.1 (other than the Lock script), aborted.</summary>
    public IReadOnlyCollection<string> Aborted => _aborted;

    /// <summary>How often the Lock script was asked for at Auth0's CDN URL (and answered with the bundle).</summary>
    public int CdnScriptsServed => _cdnScriptsServed;

    /// <summary>The page's console messages, script errors and failed requests, for the test output.</summary>
    public IReadOnlyCollection<string> Log => _log;

    /// <summary>Content type and body of each <c>POST /usernamepassword/login</c> Lock made.</summary>
    public IReadOnlyCollection<(string? ContentType, string? Body)> CredentialPosts => _credentialPosts;

    public static async Task<LockPage> OpenAsync(IBrowser browser, LockBundles.Bundle bundle, string label)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 900, Height = 760 },
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        var page = await context.NewPageAsync();
        var lockPage = new LockPage(context, page, label);

        await LoopbackOnly.RouteAsync(context, lockPage._aborted, async route =>
        {
            if (route.Request.Url != bundle.CdnUrl)
            {
                return false;
            }

            Interlocked.Increment(ref lockPage._cdnScriptsServed);
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/javascript", BodyBytes = bundle.Script });
            return true;
        });

        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && new Uri(request.Url).AbsolutePath == "/usernamepassword/login")
            {
                lockPage._credentialPosts.Enqueue((request.Headers.GetValueOrDefault("content-type"), request.PostData));
            }
        };

        page.Console += (_, message) =>
        {
            // Lock >= 11.24.3 warns once per key while falling back from the aborted CDN en.js.
            if (!message.Text.StartsWith("language does not have property", StringComparison.Ordinal))
            {
                lockPage._log.Enqueue($"console.{message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => lockPage._log.Enqueue("page error: " + error);
        page.RequestFailed += (_, request) => lockPage._log.Enqueue($"failed: {request.Method} {request.Url} ({request.Failure})");
        page.Response += (_, response) => lockPage._log.Enqueue($"{response.Status} {response.Request.Method} {response.Url}");

        // Read at once: a script's body is gone once the page navigates away.
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType == "script" && new Uri(response.Url) is { Host: "127.0.0.1" } uri)
            {
                lockPage._scripts.Enqueue((uri.AbsolutePath, response.TextAsync()));
            }
        };

        return lockPage;
    }

    /// <summary>The argument of the first <c>Auth0.{function}(...)</c> JSONP call Lock loaded, with the path it came from.</summary>
    public async Task<(string Path, JsonElement Payload)> JsonpAsync(string function)
    {
        foreach (var (path, body) in _scripts)
        {
            var text = await body;
            var prefix = $"Auth0.{function}(";
            if (text.StartsWith(prefix, StringComparison.Ordinal) && text.EndsWith(");", StringComparison.Ordinal))
            {
                return (path, JsonDocument.Parse(text[prefix.Length..^2]).RootElement.Clone());
            }
        }

        throw new InvalidOperationException($"Lock loaded no Auth0.{function} file; scripts: " + string.Join(", ", _scripts.Select(s => s.Path)));
    }

    /// <summary>Saves a full-page screenshot under the test output's lock-screenshots/ folder, with Lock's transitions run to their end.</summary>
    public Task ScreenshotAsync(string step)
        => Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(_screenshots, $"{_label}-{step}.png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
        });

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
    }
}
