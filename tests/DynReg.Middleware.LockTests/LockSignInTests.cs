using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DynReg.Middleware.LockTests;

/// <summary>How Lock learns its connections (LOCK.md §5).</summary>
public enum LockMode
{
    /// <summary>A DCR-registered (third-party) client: <c>__useTenantInfo</c>, tenant file at <c>/info-v1.js</c>; <c>id_token token</c>.</summary>
    TenantInfo,

    /// <summary>A first-party client: client file at <c>/client/{id}.js</c>; <c>code</c>.</summary>
    ClientInfo,

    /// <summary>As <see cref="TenantInfo"/> with <c>ServeLockAssets</c>: the bare <c>assetsUrl</c> is the tenant file, and <c>en.js</c> comes from the host.</summary>
    TenantInfoWithLockAssets,
}

/// <summary>
/// Auth0's real Lock widget (npm <c>auth0-lock</c>, one esbuild bundle per version) on the package's
/// Lock template, in headless Chromium: it lists the client's connections, signs a user in and
/// the browser lands on the client's redirect URI; a wrong password shows Lock's own message.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class LockSignInTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private const string ClientName = "Partner App";

    public static TheoryData<string, LockMode> SignInMatrix()
    {
        var data = new TheoryData<string, LockMode>();
        foreach (var version in LockBundles.Versions)
        {
            foreach (var mode in Enum.GetValues<LockMode>())
            {
                data.Add(version, mode);
            }
        }

        return data;
    }

    public static TheoryData<string> LockVersions()
    {
        var data = new TheoryData<string>();
        foreach (var version in LockBundles.Versions)
        {
            data.Add(version);
        }

        return data;
    }

    public static TheoryData<string, LockMode> WrongPasswordMatrix()
    {
        var data = new TheoryData<string, LockMode>();
        foreach (var version in LockBundles.Versions)
        {
            data.Add(version, LockMode.TenantInfo);
            data.Add(version, LockMode.ClientInfo);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SignInMatrix))]
    public Task Lock_ValidCredentials_ListsAllowedConnectionsAndLandsOnRedirectUri(string version, LockMode mode)
        => SignInAsync(version, mode, lockFromHost: false);

    // Hosts may serve Lock themselves: with ServeLockAssets too, nothing leaves the host at all.
    [Theory]
    [InlineData("10.7.3")]
    [InlineData("14.3.0")]
    public Task Lock_ServedByTheHost_SignsInWithoutAnyOutsideRequest(string version)
        => SignInAsync(version, LockMode.TenantInfoWithLockAssets, lockFromHost: true);

    private async Task SignInAsync(string version, LockMode mode, bool lockFromHost)
    {
        var bundle = await LockBundles.GetAsync(version);
        await using var host = await LockHost.StartAsync(chromium.Certificate, bundle, mode == LockMode.TenantInfoWithLockAssets, lockFromHost);
        var thirdParty = mode != LockMode.ClientInfo;
        var clientId = thirdParty ? await host.RegisterClientAsync(ClientName) : LockHost.FirstPartyClientId;
        if (!thirdParty)
        {
            await host.EnableOtherConnectionForFirstPartyClientAsync();
        }

        var state = "client-state-" + Guid.NewGuid().ToString("N");
        var nonce = "n-" + Guid.NewGuid().ToString("N");
        await using var lockPage = await LockPage.OpenAsync(chromium.Browser, bundle, $"{version}-{mode}" + (lockFromHost ? "-LockFromHost" : string.Empty));
        using var _ = new PageLog(lockPage, output);
        var page = lockPage.Page;

        await page.GotoAsync(AuthorizeUrl(host, clientId, thirdParty ? "id_token token" : "code", state, nonce));
        await page.Locator("input[name=email]").WaitForAsync();
        await page.Locator("input[name=password]").WaitForAsync();
        (await page.Locator(".auth0-lock-name").InnerTextAsync()).Trim().ShouldBe(thirdParty ? ClientName : "First-Party Web");
        await lockPage.ScreenshotAsync("1-login");

        // The connections Lock was given, from the file it loaded.
        string[] listed;
        if (thirdParty)
        {
            var (path, tenant) = await lockPage.JsonpAsync("setTenant");
            path.ShouldBe(mode == LockMode.TenantInfoWithLockAssets ? "/lock-assets" : "/info-v1.js");
            listed = [.. tenant.GetProperty("connections").GetProperty("database").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];
            listed.ShouldBe([LockHost.DomainConnection]);
        }
        else
        {
            var (path, client) = await lockPage.JsonpAsync("setClient");
            path.ShouldBe($"/client/{clientId}.js");
            client.GetProperty("id").GetString().ShouldBe(clientId);
            listed = [.. client.GetProperty("strategies").EnumerateArray().SelectMany(s => s.GetProperty("connections").EnumerateArray()).Select(c => c.GetProperty("name").GetString()!)];
            listed.Order().ShouldBe([LockHost.OtherConnection, LockHost.DomainConnection]);
        }

        await page.Locator("input[name=email]").FillAsync(LockHost.Email);
        await page.Locator("input[name=password]").FillAsync(LockHost.Password);
        await page.Locator("button.auth0-lock-submit").ClickAsync();

        if (thirdParty)
        {
            // A third-party client asks the user's consent between /login/callback and the redirect.
            await page.Locator("#accept").WaitForAsync();
            await lockPage.ScreenshotAsync("2-consent");
            await page.Locator("#accept").ClickAsync();
        }

        await page.WaitForURLAsync(url => url.StartsWith(host.RedirectUri, StringComparison.Ordinal));
        await page.Locator("#signed-in").WaitForAsync();
        await lockPage.ScreenshotAsync("3-client");
        var landed = new Uri(page.Url);

        // Lock 10.0-10.8 (auth0.js 7) posts a form, later versions JSON (LOCK.md row 11), for a listed connection.
        var (contentType, body) = lockPage.CredentialPosts.ShouldHaveSingleItem();
        var posted = Fields(contentType, body);
        contentType.ShouldStartWith(version.StartsWith("10.7.", StringComparison.Ordinal) ? "application/x-www-form-urlencoded" : "application/json");
        listed.ShouldContain(posted["connection"]);
        output.WriteLine($"Lock {version} {mode}: connections listed [{string.Join(", ", listed)}], signed in through {posted["connection"]}");
        posted["username"].ShouldBe(LockHost.Email);

        if (thirdParty)
        {
            landed.Query.ShouldBeEmpty();
            var fragment = Parameters(landed.Fragment);
            fragment["state"].ShouldBe(state);
            fragment["token_type"].ShouldBe("Bearer");
            fragment["access_token"].ShouldNotBeNullOrEmpty();
            var idToken = JwtPayload(fragment["id_token"]);
            idToken.GetProperty("aud").GetString().ShouldBe(clientId);
            idToken.GetProperty("nonce").GetString().ShouldBe(nonce);
            idToken.GetProperty("email").GetString().ShouldBe(LockHost.Email);
        }
        else
        {
            landed.Fragment.ShouldBeEmpty();
            var query = Parameters(landed.Query);
            query["state"].ShouldBe(state);
            query.ShouldNotContainKey("access_token");
            var tokens = await host.RedeemCodeAsync(query["code"]);
            JwtPayload(tokens.GetProperty("id_token").GetString()!).GetProperty("nonce").GetString().ShouldBe(nonce);
        }

        lockPage.CdnScriptsServed.ShouldBe(lockFromHost ? 0 : 1);
        AssertOnlyExpectedOutsideRequests(lockPage, version, mode);
    }

    [Theory]
    [MemberData(nameof(WrongPasswordMatrix))]
    public async Task Lock_WrongPassword_ShowsLocksWrongEmailOrPasswordMessage(string version, LockMode mode)
    {
        var bundle = await LockBundles.GetAsync(version);
        await using var host = await LockHost.StartAsync(chromium.Certificate, bundle, serveLockAssets: false);
        var thirdParty = mode != LockMode.ClientInfo;
        var clientId = thirdParty ? await host.RegisterClientAsync(ClientName) : LockHost.FirstPartyClientId;
        await using var lockPage = await LockPage.OpenAsync(chromium.Browser, bundle, $"{version}-{mode}");
        using var _ = new PageLog(lockPage, output);
        var page = lockPage.Page;

        await page.GotoAsync(AuthorizeUrl(host, clientId, thirdParty ? "id_token token" : "code", "s", "n"));
        await page.Locator("input[name=email]").FillAsync(LockHost.Email);
        await page.Locator("input[name=password]").FillAsync("not the password");
        await page.Locator("button.auth0-lock-submit").ClickAsync();

        var error = page.Locator(".auth0-global-message-error");
        await error.WaitForAsync();
        (await error.InnerTextAsync()).Trim().ShouldBe("WRONG EMAIL OR PASSWORD.", StringCompareShould.IgnoreCase);
        await lockPage.ScreenshotAsync("wrong-password");
        page.Url.ShouldStartWith(new Uri(host.Issuer, "/authorize").AbsoluteUri);
        AssertOnlyExpectedOutsideRequests(lockPage, version, mode);
    }

    // LOCK.md §(d): the server's error shapes for a blocked user and for too many attempts,
    // and Lock's own words for each.
    [Theory]
    [MemberData(nameof(LockVersions))]
    public async Task Lock_BlockedUserAndTooManyAttempts_ShowsLocksMessages(string version)
    {
        var bundle = await LockBundles.GetAsync(version);
        await using var host = await LockHost.StartAsync(chromium.Certificate, bundle, serveLockAssets: false);
        var clientId = await host.RegisterClientAsync(ClientName);
        await using var lockPage = await LockPage.OpenAsync(chromium.Browser, bundle, $"{version}-errors");
        using var _ = new PageLog(lockPage, output);
        var page = lockPage.Page;
        var error = page.Locator(".auth0-global-message-error");

        async Task<string> SubmitAsync(string email, string password, int attempt)
        {
            await page.GotoAsync(AuthorizeUrl(host, clientId, "id_token token", "s" + attempt, "n"));
            await page.Locator("input[name=email]").FillAsync(email);
            await page.Locator("input[name=password]").FillAsync(password);
            await page.Locator("button.auth0-lock-submit").ClickAsync();
            await error.WaitForAsync();
            return (await error.InnerTextAsync()).Trim();
        }

        (await SubmitAsync(LockHost.BlockedEmail, LockHost.Password, 0)).ShouldBe("THE USER IS BLOCKED.", StringCompareShould.IgnoreCase);
        await lockPage.ScreenshotAsync("blocked-user");

        for (var attempt = 1; attempt <= LockHost.MaxFailedLogins; attempt++)
        {
            (await SubmitAsync(LockHost.Email, "not the password", attempt)).ShouldBe("WRONG EMAIL OR PASSWORD.", StringCompareShould.IgnoreCase);
        }

        (await SubmitAsync(LockHost.Email, LockHost.Password, 99)).ShouldBe(
            "YOUR ACCOUNT HAS BEEN BLOCKED AFTER MULTIPLE CONSECUTIVE LOGIN ATTEMPTS.", StringCompareShould.IgnoreCase);
        await lockPage.ScreenshotAsync("too-many-attempts");
        AssertOnlyExpectedOutsideRequests(lockPage, version, LockMode.TenantInfo);
    }

    // LOCK.md §(e) 5-6: with avatar null and a local logo, the only request Lock makes outside the
    // host is en.js from Auth0's CDN, on Lock >= 11.24.3 when assetsUrl is empty (harmless from 11.26.2).
    private void AssertOnlyExpectedOutsideRequests(LockPage lockPage, string version, LockMode mode)
    {
        output.WriteLine($"Lock {version} {mode}: aborted outside requests: [{string.Join(", ", lockPage.Aborted)}]");
        var fetchesEnglish = Version.Parse(version) >= new Version(11, 24, 3) && mode != LockMode.TenantInfoWithLockAssets;
        string[] allowed = fetchesEnglish ? [$"https://cdn.auth0.com/js/lock/{version}/en.js"] : [];
        lockPage.Aborted.ShouldAllBe(url => allowed.Contains(url));
    }

    // Writes what the page did to the test output when the test ends, pass or fail.
    private sealed class PageLog(LockPage lockPage, ITestOutputHelper output) : IDisposable
    {
        public void Dispose()
        {
            foreach (var line in lockPage.Log)
            {
                output.WriteLine(line);
            }
        }
    }

    private static string AuthorizeUrl(LockHost host, string clientId, string responseType, string state, string nonce)
        => new Uri(host.Issuer, "/authorize").AbsoluteUri
            + $"?client_id={Uri.EscapeDataString(clientId)}&response_type={Uri.EscapeDataString(responseType)}"
            + $"&redirect_uri={Uri.EscapeDataString(host.RedirectUri)}&scope={Uri.EscapeDataString("openid profile email")}"
            + $"&state={Uri.EscapeDataString(state)}&nonce={Uri.EscapeDataString(nonce)}";

    private static Dictionary<string, string> Parameters(string part)
        => part.TrimStart('#', '?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : string.Empty));

    private static Dictionary<string, string> Fields(string? contentType, string? body)
    {
        body.ShouldNotBeNull();
        if (contentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
        {
            return JsonDocument.Parse(body).RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(p => p.Name, p => p.Value.GetString()!);
        }

        return Parameters(body);
    }

    private static JsonElement JwtPayload(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.Clone();
    }
}
