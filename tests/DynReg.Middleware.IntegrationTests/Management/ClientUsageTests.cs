using System.Net;
using System.Text.Json;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.Management;

/// <summary>Issue 8 item 3: last_used_at, and the job that deletes dynamic clients nobody used.</summary>
public sealed class ClientUsageTests
{
    [Fact]
    public async Task LastUsedAt_NewClient_NullUntilATokenIsIssued()
    {
        // Started from the real now (on the hour): tokens, cookies and keys all see a present-day clock.
        var clock = StartedNow();
        await using var host = await StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var client = await RegisterAsync(host);
        var token = await host.GetManagementTokenAsync();

        (await ReadLastUsedAsync(host, token, client.ClientId)).ValueKind.ShouldBe(JsonValueKind.Null);

        clock.Advance(TimeSpan.FromMinutes(5));
        using var browser = host.NewBrowser();
        var verifier = NewVerifier();
        var code = await GetCodeAsync(browser, Code(client.ClientId, verifier));
        using var redeemed = await RedeemAsync(host, client, code, verifier);
        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK);

        var lastUsed = await ReadLastUsedAsync(host, token, client.ClientId);
        lastUsed.GetDateTimeOffset().ShouldBe(clock.GetUtcNow());
        (await host.Clients.FindByIdAsync(client.ClientId, CancellationToken.None))!.LastUsedAt.ShouldBe(clock.GetUtcNow());
    }

    [Fact]
    public async Task LastUsedAt_ClientCredentials_RecordedForTheMachineClient()
    {
        await using var host = await TestHost.StartAsync();

        await host.GetManagementTokenAsync();

        (await host.Clients.FindByIdAsync(TestHost.ManagementClientId, CancellationToken.None))!.LastUsedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task LastUsedAt_RefusedTokenRequest_NotRecorded()
    {
        await using var host = await TestHost.StartAsync();
        using var refused = await host.Client.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = TestHost.ManagementClientId,
            ["client_secret"] = TestHost.ManagementClientSecret,
            ["audience"] = "https://unknown.example.com/",
        }));

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await host.Clients.FindByIdAsync(TestHost.ManagementClientId, CancellationToken.None))!.LastUsedAt.ShouldBeNull();
    }

    [Fact]
    public async Task Sweep_AfterNeverUsedFor_DeletesOnlyUnusedDynamicClients()
    {
        var clock = StartedNow();
        await using var host = await StartAsync(
            services: s => s.AddSingleton<TimeProvider>(clock),
            configure: o =>
            {
                o.StaleClients.Enabled = true;
                o.StaleClients.NeverUsedFor = TimeSpan.FromDays(30);

                // The job's own timer stays quiet here; the sweep is called directly.
                o.StaleClients.SweepInterval = TimeSpan.FromDays(3650);
            });
        var unused = await RegisterAsync(host);
        var used = await RegisterAsync(host);
        using (var browser = host.NewBrowser())
        {
            await SignInAsync(browser, Implicit(used.ClientId));
        }

        var sweeper = host.Services.GetServices<IHostedService>().OfType<StaleClientCleanup>().Single();
        clock.Advance(TimeSpan.FromDays(29));
        (await sweeper.SweepAsync(CancellationToken.None)).ShouldBe(0);
        clock.Advance(TimeSpan.FromDays(2));
        (await sweeper.SweepAsync(CancellationToken.None)).ShouldBe(1);

        (await host.Clients.FindByIdAsync(unused.ClientId, CancellationToken.None)).ShouldBeNull();
        (await host.Clients.FindByIdAsync(used.ClientId, CancellationToken.None)).ShouldNotBeNull();
        (await host.Clients.FindByIdAsync(TestHost.ManagementClientId, CancellationToken.None)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Job_IntervalPasses_SweepsOnItsOwn()
    {
        var clock = StartedNow();
        await using var host = await StartAsync(
            services: s => s.AddSingleton<TimeProvider>(clock),
            configure: o =>
            {
                o.StaleClients.Enabled = true;
                o.StaleClients.NeverUsedFor = TimeSpan.FromDays(1);
                o.StaleClients.SweepInterval = TimeSpan.FromHours(1);
            });
        var unused = await RegisterAsync(host);

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));

        // The job runs on the thread pool after the timer fires: wait for it, boundedly.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await host.Clients.FindByIdAsync(unused.ClientId, CancellationToken.None) is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        (await host.Clients.FindByIdAsync(unused.ClientId, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task StaleClients_EnabledWithZeroAge_RefusedAtStart()
    {
        var failure = await Should.ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestHost.StartAsync(configure: o =>
        {
            o.StaleClients.Enabled = true;
            o.StaleClients.NeverUsedFor = TimeSpan.Zero;
        }));

        failure.Message.ShouldContain("StaleClients");
    }

    private static async Task<JsonElement> ReadLastUsedAsync(TestHost host, string token, string clientId)
    {
        using var response = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, $"/api/v2/clients/{clientId}", token));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("last_used_at").Clone();
    }

    // The real now, truncated to the hour so the stored instants compare exactly (last_used_at is kept to the hour).
    private static FakeTimeProvider StartedNow()
    {
        var now = DateTimeOffset.UtcNow;
        return new FakeTimeProvider(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero));
    }
}
