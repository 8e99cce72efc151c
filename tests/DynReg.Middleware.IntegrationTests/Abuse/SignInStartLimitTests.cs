using System.Net;
using DynReg.Middleware.IntegrationTests.SignIn;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Abuse;

/// <summary>
/// Each login page keeps a login transaction on the server for 30 minutes, so the sign-ins one
/// address may start are limited (default 120 per minute): a flood of /authorize cannot fill the
/// protocol state. Past it, the client gets temporarily_unavailable (RFC 6749 §4.1.2.1).
/// </summary>
public sealed class SignInStartLimitTests
{
    [Fact]
    public void Default_Is120PerMinute()
        => new LoginPageOptions().SignInsStartedPerIpPerMinute.ShouldBe(120);

    [Fact]
    public async Task Authorize_DefaultLimit_120LoginPagesThenTemporarilyUnavailableForThatAddressOnly()
    {
        await using var host = await SignInKit.StartAsync(configure: o => o.LoginPage.SignInsStartedPerIpPerMinute = 120, map: CallerAddress.Use);
        var client = await SignInKit.RegisterAsync(host);
        var authorize = SignInKit.Implicit(client.ClientId);

        for (var i = 0; i < 120; i++)
        {
            using var page = await GetFromAsync(host, authorize, "203.0.113.40");
            page.StatusCode.ShouldBe(HttpStatusCode.OK, $"login page {i + 1}");
        }

        // One permit comes back every 500 ms: five more in a row stay refused unless 2.5 s pass.
        var refused = 0;
        for (var i = 0; i < 5; i++)
        {
            using var response = await GetFromAsync(host, authorize, "203.0.113.40");
            if (response.StatusCode == HttpStatusCode.Found)
            {
                SignInKit.ShouldBeErrorRedirect(response, "temporarily_unavailable", fragment: true);
                int.Parse(response.Headers.GetValues("Retry-After").Single()).ShouldBeGreaterThanOrEqualTo(1);
                refused++;
            }
        }

        refused.ShouldBeGreaterThan(0);
        using var other = await GetFromAsync(host, authorize, "203.0.113.41");
        other.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Authorize_StrictClientOverTheLimit_PageNotRedirect()
    {
        await using var host = await SignInKit.StartAsync(configure: o => o.LoginPage.SignInsStartedPerIpPerMinute = 1, map: CallerAddress.Use);
        await SignInKit.MakeStrictAsync(host);
        var client = await SignInKit.RegisterAsync(host);
        var authorize = SignInKit.Code(client.ClientId, SignInKit.NewVerifier());

        (await GetFromAsync(host, authorize, "203.0.113.42")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var refused = await GetFromAsync(host, authorize, "203.0.113.42");

        await SignInKit.ShouldBeErrorPageAsync(refused, "temporarily_unavailable");
    }

    private static async Task<HttpResponseMessage> GetFromAsync(TestHost host, string pathAndQuery, string address)
    {
        using var browser = host.NewBrowser();
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Add(CallerAddress.Header, address);
        return await browser.Client.SendAsync(request);
    }
}
