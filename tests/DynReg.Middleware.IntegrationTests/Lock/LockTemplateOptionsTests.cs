using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Lock;

/// <summary>Where the Lock template loads Lock from, and what that does to the page's CSP.</summary>
public sealed class LockTemplateOptionsTests
{
    [Fact]
    public async Task UseLockTemplate_PathOnTheHost_ScriptSourcesStaySelf()
    {
        var options = new LoginPageOptions().UseLockTemplate("/js/lock.min.js");

        options.ScriptSources.ShouldBeEmpty();
        await using var host = await TestHost.StartAsync(
            o => o.LoginPage.UseLockTemplate("/js/lock.min.js"),
            b => b.AddConnection("Username-Password-Authentication", isDomainConnection: true));
        using var registered = await host.RegisterAsync("""{"client_name":"Partner","redirect_uris":["https://app.example.com/cb"]}""");
        var clientId = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("client_id").GetString();

        using var page = await host.Client.GetAsync($"/authorize?client_id={clientId}&redirect_uri={Uri.EscapeDataString("https://app.example.com/cb")}&response_type=code&scope=openid");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("""<script src="/js/lock.min.js"></script>""");
        var scriptSrc = Regex.Match(page.Headers.GetValues("Content-Security-Policy").Single(), "script-src ([^;]*)").Groups[1].Value;
        scriptSrc.Split(' ').Where(s => !s.StartsWith("'nonce-", StringComparison.Ordinal)).ShouldBe(["'self'"]);
    }

    [Fact]
    public void UseLockTemplate_CdnUrl_AddsItsOrigin()
    {
        var options = new LoginPageOptions().UseLockTemplate("https://cdn.auth0.com/js/lock/14.3.0/lock.min.js");

        options.ScriptSources.ShouldBe(["https://cdn.auth0.com"]);
    }
}
