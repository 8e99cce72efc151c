using System.Net;
using System.Text.Json;
using DynReg.Middleware.IntegrationTests.SignIn;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace DynReg.Middleware.IntegrationTests.Abuse;

/// <summary>
/// SPEC §8: no secret, password, code or token in logs. Captures every log record of a full run
/// (the package's and ASP.NET Core's, at Trace) with its structured state, scopes and exceptions,
/// and looks for every credential value the run produced.
/// </summary>
public sealed class LogAuditTests
{
    [Fact]
    public async Task FullRun_EveryLogRecordAtTrace_CarriesNoCredentialValue()
    {
        await using var host = await SignInKit.StartAsync(services: s => s.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Trace)
            .AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = false)));
        var collector = host.Services.GetFakeLogCollector();
        var secrets = new List<(string What, string Value)>
        {
            ("management client secret", TestHost.ManagementClientSecret),
            ("user password", SignInKit.Password),
            ("wrong password", "Tr0ub4dor&3-wrong"),
        };

        // Management API token, then registration of a client that may refresh.
        var management = await host.GetManagementTokenAsync();
        secrets.Add(("management access token", management));
        var client = await SignInKit.RegisterAsync(host, $$"""{"client_name":"Audited","redirect_uris":["{{SignInKit.RedirectUri}}"],"grant_types":["authorization_code","refresh_token"]}""");
        secrets.Add(("client secret", client.ClientSecret!));

        // Sign in through the login page: a wrong password first, then the right one, consent, a code.
        using var browser = host.NewBrowser();
        var verifier = SignInKit.NewVerifier();
        secrets.Add(("PKCE verifier", verifier));
        var config = await SignInKit.OpenLoginPageAsync(browser, SignInKit.Code(client.ClientId, verifier, scope: "openid profile offline_access"));
        secrets.Add(("login transaction id", config.GetProperty("internalOptions").GetProperty("state").GetString()!));
        secrets.Add(("anti-forgery token", config.GetProperty("internalOptions").GetProperty("_csrf").GetString()!));
        (await browser.PostCredentialsAsync(config, SignInKit.Email, "Tr0ub4dor&3-wrong")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var login = await browser.PostCredentialsAsync(config, SignInKit.Email, SignInKit.Password);
        var form = await login.Content.ReadAsStringAsync();
        secrets.Add(("login ticket", System.Text.RegularExpressions.Regex.Match(form, "name=\"wresult\" value=\"([^\"]+)\"").Groups[1].Value));
        using var callback = await browser.SubmitFormAsync(form);
        var location = await SignInKit.AcceptConsentIfAskedAsync(browser, callback);
        var code = Browser.ResponseParameters(location, fragment: false)["code"];
        secrets.Add(("authorization code", code));
        foreach (var cookie in browser.Cookies.GetAllCookies().Cast<Cookie>())
        {
            secrets.Add(($"cookie {cookie.Name}", cookie.Value));
        }

        // Code exchange, refresh (rotation), a wrong secret, client credentials again.
        var tokens = await SignInKit.JsonAsync(await SignInKit.RedeemAsync(host, client, code, verifier), HttpStatusCode.OK);
        AddTokens(secrets, "code exchange", tokens);
        var refreshed = await SignInKit.JsonAsync(await SignInKit.RefreshAsync(host, client, tokens.GetProperty("refresh_token").GetString()!), HttpStatusCode.OK);
        AddTokens(secrets, "refresh", refreshed);
        (await SignInKit.RedeemAsync(host, client with { ClientSecret = client.ClientSecret![..^4] + "AAAA" }, code, verifier)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        secrets.Add(("second management access token", await host.GetManagementTokenAsync()));

        // Management: PATCH, rotate the secret, read.
        using (var patched = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Patch, $"/api/v2/clients/{client.ClientId}", management, TestHost.Json("""{"name":"Audited again"}"""))))
        {
            patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var rotated = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Post, $"/api/v2/clients/{client.ClientId}/rotate-secret", management)))
        {
            using var body = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync());
            secrets.Add(("rotated client secret", body.RootElement.GetProperty("client_secret").GetString()!));
        }

        (await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, "/api/v2/clients", management))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var records = collector.GetSnapshot();

        // The capture saw the run: the package's own events, and the framework's at Trace/Debug.
        var ids = records.Select(r => r.Id.Id).ToHashSet();
        foreach (var id in (int[])[1000, 2004, 2006, 3000, 4002, 5000, 5001])
        {
            ids.ShouldContain(id);
        }
        records.ShouldContain(r => r.Level == LogLevel.Trace || r.Level == LogLevel.Debug);
        secrets.ShouldAllBe(s => s.Value.Length >= 16 || s.What == "user password" || s.What == "wrong password");

        var leaks = new List<string>();
        foreach (var record in records)
        {
            var texts = new List<string> { record.Message, record.Exception?.ToString() ?? string.Empty };
            texts.AddRange((record.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}"));
            texts.AddRange(record.Scopes.Select(s => s?.ToString() ?? string.Empty));
            foreach (var (what, value) in secrets)
            {
                if (texts.Any(t => t.Contains(value, StringComparison.Ordinal)))
                {
                    leaks.Add($"{what} in [{record.Category} {record.Id}] {record.Message}");
                }
            }
        }

        leaks.ShouldBeEmpty();
    }

    // A JWT's value, and its signature alone (a log that cut the token would still leak that).
    private static void AddTokens(List<(string, string)> secrets, string step, JsonElement tokens)
    {
        foreach (var name in (string[])["access_token", "id_token", "refresh_token"])
        {
            if (tokens.TryGetProperty(name, out var value) && value.GetString() is { } token)
            {
                secrets.Add(($"{step} {name}", token));
                if (token.Split('.') is [_, _, var signature])
                {
                    secrets.Add(($"{step} {name} signature", signature));
                }
            }
        }
    }
}
