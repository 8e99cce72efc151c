using System.Net;
using System.Text.Json;
using DynReg.Middleware.IntegrationTests.Registration;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Abuse;

/// <summary>
/// R28: open registration is rate-limited per caller and per tenant, and capped per tenant, by the
/// package itself (no AddRateLimiter in the host). Refusals are JSON, no-store, and store nothing.
/// The test host's limits are generous; these tests put the defaults back.
/// </summary>
public sealed class RegistrationLimitTests
{
    private static Task<TestHost> StartAsync(Action<RegistrationLimitsOptions> limits)
        => TestHost.StartAsync(o =>
        {
            o.Registration.Limits = new RegistrationLimitsOptions();
            limits(o.Registration.Limits);
        }, map: CallerAddress.Use);

    [Fact]
    public void Defaults_AreOnAndDocumented()
    {
        var defaults = new RegistrationLimitsOptions();

        defaults.PermitsPerIpPerMinute.ShouldBe(20);
        defaults.TenantPermitsPerSecond.ShouldBe(5);
        defaults.MaxDynamicClients.ShouldBe(10_000);
        new DynamicRegistrationOptions().MaxQueryStringLength.ShouldBe(8192);
    }

    [Fact]
    public async Task Register_DefaultPerAddressLimit_First20Created_ThenRefused429WithRetryAfter()
    {
        await using var host = await StartAsync(l => l.TenantPermitsPerSecond = 0);

        for (var i = 0; i < 20; i++)
        {
            using var created = await host.RegisterFromAsync("203.0.113.7");
            created.StatusCode.ShouldBe(HttpStatusCode.Created, $"registration {i + 1}");
        }

        // The bucket refills one permit every 3 s: five more in a row stay refused unless 15 s pass.
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 5; i++)
        {
            var response = await host.RegisterFromAsync("203.0.113.7");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused ??= response;
            }
            else
            {
                response.Dispose();
            }
        }

        statuses.ShouldContain(HttpStatusCode.TooManyRequests);
        using (refused)
        {
            await ShouldBeTooManyRequestsAsync(refused!, "from this address");
            int.Parse(refused!.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 3);
        }

        (await host.CountClientsAsync()).ShouldBe(20 + statuses.Count(s => s == HttpStatusCode.Created));
    }

    [Fact]
    public async Task Register_OneAddressOverItsLimit_OtherAddressesStillRegister()
    {
        await using var host = await StartAsync(l => { l.PermitsPerIpPerMinute = 2; l.TenantPermitsPerSecond = 0; });
        for (var i = 0; i < 2; i++)
        {
            (await host.RegisterFromAsync("198.51.100.1")).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        (await host.RegisterFromAsync("198.51.100.1")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await host.RegisterFromAsync("198.51.100.2")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await host.RegisterFromAsync("2001:db8::1")).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Register_IPv6AddressesOfOneSlash64_ShareOneBucket()
    {
        await using var host = await StartAsync(l => { l.PermitsPerIpPerMinute = 2; l.TenantPermitsPerSecond = 0; });

        (await host.RegisterFromAsync("2001:db8:1:2::1")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await host.RegisterFromAsync("2001:db8:1:2:ffff::9")).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await host.RegisterFromAsync("2001:db8:1:2:abcd::77")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await host.RegisterFromAsync("2001:db8:1:3::1")).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Register_DefaultTenantLimit_FiveCreated_ThenRefusedForEveryAddress()
    {
        await using var host = await StartAsync(_ => { });

        for (var i = 0; i < 5; i++)
        {
            (await host.RegisterFromAsync($"192.0.2.{i + 1}")).StatusCode.ShouldBe(HttpStatusCode.Created, $"registration {i + 1}");
        }

        // The tenant's bucket refills one permit every 200 ms: thirty tries at once from fresh
        // addresses all pass only if they take six seconds.
        var responses = (await Task.WhenAll(Enumerable.Range(0, 30).Select(i => host.RegisterFromAsync($"192.0.2.{100 + i}")))).ToList();

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        refused.ShouldNotBeEmpty();
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.TooManyRequests);
        await ShouldBeTooManyRequestsAsync(refused[0], "for this tenant");
        refused[0].Headers.GetValues("Retry-After").Single().ShouldBe("1");
        (await host.CountClientsAsync()).ShouldBe(5 + responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        responses.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Register_LimitsOff_NoRefusal()
    {
        await using var host = await StartAsync(l => { l.PermitsPerIpPerMinute = 0; l.TenantPermitsPerSecond = 0; });

        for (var i = 0; i < 30; i++)
        {
            (await host.RegisterFromAsync("203.0.113.9")).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task Register_TenantAtMaxDynamicClients_403AccessDeniedUntilOneIsDeleted()
    {
        await using var host = await StartAsync(l => { l.MaxDynamicClients = 3; l.TenantPermitsPerSecond = 0; });
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var created = await host.RegisterFromAsync("203.0.113.20");
            ids.Add((await created.ShouldBeCreatedAsync()).GetProperty("client_id").GetString()!);
        }

        using var refused = await host.RegisterFromAsync("203.0.113.21");

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refused.ShouldBeNoStoreJson();
        using (var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            body.RootElement.GetProperty("error").GetString().ShouldBe("access_denied");
            body.RootElement.GetProperty("error_description").GetString()!.ShouldContain("most dynamically registered clients");
        }

        (await host.CountClientsAsync()).ShouldBe(3);

        // First-party clients do not count; deleting a dynamic one makes room.
        var token = await host.GetManagementTokenAsync();
        using (var deleted = await host.Client.SendAsync(TestHost.Authorized(HttpMethod.Delete, $"/api/v2/clients/{ids[0]}", token)))
        {
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await host.RegisterFromAsync("203.0.113.21")).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Register_RefusedByRateLimit_FlagOffStillCountsAgainstTheCaller()
    {
        // The limit comes before everything else, so probing a closed tenant is limited too.
        await using var host = await TestHost.StartAsync(o =>
        {
            o.InitialTenantSettings.EnableDynamicClientRegistration = false;
            o.Registration.Limits = new RegistrationLimitsOptions { PermitsPerIpPerMinute = 1, TenantPermitsPerSecond = 0 };
        }, map: CallerAddress.Use);

        (await host.RegisterFromAsync("203.0.113.30")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await host.RegisterFromAsync("203.0.113.30")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    private static async Task ShouldBeTooManyRequestsAsync(HttpResponseMessage response, string whose)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.ShouldBeNoStoreJson();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["error", "error_description"]);
        body.RootElement.GetProperty("error").GetString().ShouldBe("too_many_requests");
        body.RootElement.GetProperty("error_description").GetString()!.ShouldContain(whose);
    }
}
