using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using DynReg.Middleware.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.IntegrationTests.Dashboard;

/// <summary>
/// A test host with the dashboard mapped behind the policy <see cref="Policy"/>: the host's own
/// sign-in is a header scheme (<c>X-Test-User</c>, <c>X-Test-Role</c>), and the policy wants the role
/// <c>admin</c>. Audit lines of the management services are captured.
/// </summary>
internal static class DashboardHost
{
    public const string Policy = "DynRegAdmin";
    public const string Scheme = "TestHeader";
    public const string Admin = "alice@example.com";
    public const string Path = "/dynreg/admin";

    public static Task<TestHost> StartAsync(
        LogCapture? logs = null,
        Action<DynamicRegistrationOptions>? configure = null,
        Action<DynReg.Middleware.Hosting.DynamicRegistrationBuilder>? build = null,
        string? path = null)
        => TestHost.StartAsync(
            configure: o =>
            {
                o.InitialTenantSettings.EnableDynamicClientRegistration = false;
                configure?.Invoke(o);
            },
            build: build,
            services: services =>
            {
                services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(Scheme, _ => { });
                services.AddAuthorization(o => o.AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole("admin")));
                if (logs is not null)
                {
                    services.AddSingleton<ILoggerProvider>(logs);
                    services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(LogCapture).FullName, null, LogLevel.Information, null)));
                }
            },
            map: app =>
            {
                if (path is null)
                {
                    app.MapDynamicRegistrationDashboard(Policy);
                }
                else
                {
                    app.MapDynamicRegistrationDashboard(Policy, path);
                }
            });

    /// <summary>A cookie-keeping client signed in as <paramref name="user"/> (null: nobody).</summary>
    public static DashboardClient NewClient(this TestHost host, string? user = Admin, string role = "admin")
    {
        var browser = host.NewBrowser();
        if (user is not null)
        {
            browser.Client.DefaultRequestHeaders.Add("X-Test-User", user);
            browser.Client.DefaultRequestHeaders.Add("X-Test-Role", role);
        }

        return new DashboardClient(browser);
    }

    /// <summary>Signs in whoever the headers name; no header, no identity (the challenge is a plain 401).</summary>
    private sealed class HeaderAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers["X-Test-User"] is not [{ Length: > 0 } user])
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.NameIdentifier, user), new Claim(ClaimTypes.Role, Request.Headers["X-Test-Role"].ToString())],
                Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }
    }
}

/// <summary>Captures log entries (category, event id, the structured values) for audit assertions.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IEnumerable<LogEntry> Audit => Entries.Where(e => e.Category == "DynReg.Middleware.Management.ManagementLog");

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    internal sealed record LogEntry(string Category, int EventId, string Message, IReadOnlyDictionary<string, object?> Values);

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
            owner.Entries.Enqueue(new LogEntry(category, eventId.Id, formatter(state, exception), values));
        }
    }
}

/// <summary>A dashboard user's browser stand-in: GETs pages and submits their forms as a browser would, without script.</summary>
internal sealed partial class DashboardClient(Browser browser) : IDisposable
{
    public const string TokenField = "__RequestVerificationToken";

    public HttpClient Http => browser.Client;

    public async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await browser.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>GETs a page, asserting 200, and returns its HTML.</summary>
    public async Task<string> PageAsync(string path)
    {
        var (status, html, _) = await GetAsync(path);
        status.ShouldBe(HttpStatusCode.OK, html);
        return html;
    }

    /// <summary>Submits the page's form whose id is, or whose action ends with, <paramref name="form"/>: its hidden fields plus <paramref name="fields"/>.</summary>
    public Task<HttpResponseMessage> SubmitAsync(string html, string form, IDictionary<string, string>? fields = null)
    {
        var matches = Forms(html).Where(f => f.Id == form || f.Action.EndsWith(form, StringComparison.Ordinal)).ToList();
        if (matches.Count != 1)
        {
            throw new InvalidOperationException($"Not exactly one form '{form}' in: {html}");
        }

        var match = matches[0];
        var values = new Dictionary<string, string>(match.Hidden);
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            values[name] = value;
        }

        return Http.PostAsync(match.Action, new FormUrlEncodedContent(values));
    }

    /// <summary>Posts a form directly, as a forged page or a script would: exactly <paramref name="fields"/>.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, IDictionary<string, string> fields)
        => Http.PostAsync(path, new FormUrlEncodedContent(fields));

    /// <summary>The anti-forgery field of the first form of a page.</summary>
    public static string Token(string html) => Forms(html).First().Hidden[TokenField];

    public static IReadOnlyList<(string Action, string? Id, Dictionary<string, string> Hidden)> Forms(string html)
        => FormPattern().Matches(html).Select(m => (
                WebUtility.HtmlDecode(m.Groups["action"].Value),
                m.Groups["id"].Success ? m.Groups["id"].Value : null,
                HiddenPattern().Matches(m.Groups["body"].Value).ToDictionary(
                    h => WebUtility.HtmlDecode(h.Groups["name"].Value), h => WebUtility.HtmlDecode(h.Groups["value"].Value))))
            .ToList();

    /// <summary>The client ids of the applications table, in order.</summary>
    public static List<string> ClientIds(string html)
        => RowPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["id"].Value)).ToList();

    public static string? ErrorText(string html)
        => ErrorPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups["text"].Value) : null;

    public void Dispose() => browser.Dispose();

    [GeneratedRegex(@"<form method=""post"" action=""(?<action>[^""]*)""(?: id=""(?<id>[^""]*)"")?[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex(@"<input type=""hidden"" name=""(?<name>[^""]*)"" value=""(?<value>[^""]*)"">")]
    private static partial Regex HiddenPattern();

    [GeneratedRegex(@"<tr data-client-id=""(?<id>[^""]*)"">")]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"<p class=""error"" id=""error"" role=""alert"">(?<text>[^<]*)</p>")]
    private static partial Regex ErrorPattern();
}
