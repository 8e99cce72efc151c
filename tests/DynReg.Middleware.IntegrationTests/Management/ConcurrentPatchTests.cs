using System.Net;
using System.Text.Json;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Management;

/// <summary>
/// SPEC §5 / issue 3: 200 parallel PATCHes to different members lose no update; PATCH racing DELETE
/// leaves either nothing or a whole record, never a 500. Every batch starts together behind one gate.
/// </summary>
public sealed class ConcurrentPatchTests
{
    private const int Parallel = 200;

    /// <summary>Sends all requests at once (released by one gate) and returns status and body of each, in order.</summary>
    private static async Task<(HttpStatusCode Status, string Body)[]> SendTogetherAsync(TestHost host, IReadOnlyList<Func<HttpRequestMessage>> requests)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = requests.Select(async make =>
        {
            await gate.Task;
            using var response = await host.Client.SendAsync(make());
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }

    private static Func<HttpRequestMessage> Patch(string path, string token, string json)
        => () => TestHost.Authorized(HttpMethod.Patch, path, token, TestHost.Json(json));

    private static async Task<string[]> SeedConnectionsAsync(TestHost host, int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = $"con_{i:D16}";
            (await host.Connections.CreateAsync(new Connection { Id = ids[i], Name = $"conn-{i}", CreatedAt = DateTimeOffset.UtcNow }, CancellationToken.None))
                .Succeeded.ShouldBeTrue();
        }

        return ids;
    }

    private static IEnumerable<T> Shuffled<T>(IEnumerable<T> items) => items.OrderBy(_ => Random.Shared.Next());

    // One connection, three members: exactly one PATCH sets is_domain_connection, the others alternate
    // enabled_clients and options. A merge that wrote back a stale record would drop a member.
    [Fact]
    public async Task PatchOneConnection_200ParallelOnDifferentMembers_EveryMemberHoldsAValueSent()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();
        var id = (await SeedConnectionsAsync(host, 1))[0];
        var path = $"/api/v2/connections/{id}";
        var bodies = Enumerable.Range(0, Parallel).Select(i => i switch
        {
            Parallel / 2 => """{"is_domain_connection":true}""",
            _ when i % 2 == 0 => $$"""{"enabled_clients":["client-{{i}}"]}""",
            _ => $$$"""{"options":{"k":{{{i}}}}}""",
        }).ToArray();

        var results = await SendTogetherAsync(host, [.. bodies.Select(b => Patch(path, token, b))]);

        results.ShouldAllBe(r => r.Status == HttpStatusCode.OK);
        var final = (await host.Connections.FindByIdAsync(id, CancellationToken.None)).ShouldNotBeNull();
        final.IsDomainConnection.ShouldBeTrue();
        final.EnabledClients.Count.ShouldBe(1);
        var enabled = int.Parse(final.EnabledClients[0]["client-".Length..]);
        (enabled % 2 == 0 && enabled != Parallel / 2).ShouldBeTrue();
        final.Options.Keys.ShouldBe(["k"]);
        (int.Parse(final.Options["k"]) % 2).ShouldBe(1);
        final.Name.ShouldBe("conn-0");

        // The API shows the same record.
        using var read = JsonDocument.Parse(await host.SendExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, path, token));
        read.RootElement.GetProperty("is_domain_connection").GetBoolean().ShouldBeTrue();
        read.RootElement.GetProperty("enabled_clients")[0].GetString().ShouldBe(final.EnabledClients[0]);
        read.RootElement.GetProperty("options").GetProperty("k").GetRawText().ShouldBe(final.Options["k"]);
    }

    // Forty connections, five PATCHes each (one per member, two more for two of them), all 200 at once
    // and shuffled: forty chances for a lost member instead of one.
    [Fact]
    public async Task PatchManyConnections_200ParallelMixedMembers_NoMemberLost()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();
        var ids = await SeedConnectionsAsync(host, Parallel / 5);
        var requests = ids.SelectMany((id, n) => new[]
        {
            Patch($"/api/v2/connections/{id}", token, """{"is_domain_connection":true}"""),
            Patch($"/api/v2/connections/{id}", token, $$"""{"enabled_clients":["a-{{n}}"]}"""),
            Patch($"/api/v2/connections/{id}", token, $$"""{"enabled_clients":["b-{{n}}"]}"""),
            Patch($"/api/v2/connections/{id}", token, $$$"""{"options":{"a":{{{n}}}}}"""),
            Patch($"/api/v2/connections/{id}", token, $$$"""{"options":{"b":{{{n}}}}}"""),
        });

        var results = await SendTogetherAsync(host, [.. Shuffled(requests)]);

        results.Length.ShouldBe(Parallel);
        results.ShouldAllBe(r => r.Status == HttpStatusCode.OK);
        for (var n = 0; n < ids.Length; n++)
        {
            var final = (await host.Connections.FindByIdAsync(ids[n], CancellationToken.None)).ShouldNotBeNull();
            final.Name.ShouldBe($"conn-{n}");
            final.IsDomainConnection.ShouldBeTrue($"connection {n} lost is_domain_connection");
            final.EnabledClients.Single().ShouldBeOneOf($"a-{n}", $"b-{n}");
            final.Options.Count.ShouldBe(1, $"connection {n} options");
            final.Options.Single().ShouldBeOneOf(new KeyValuePair<string, string>("a", $"{n}"), new KeyValuePair<string, string>("b", $"{n}"));
        }
    }

    // Tenant settings: one PATCH turns the flag off, one sets strict, the rest write friendly_name.
    [Fact]
    public async Task PatchSettings_200ParallelOnDifferentMembers_NoMemberLost()
    {
        await using var host = await TestHost.StartAsync(); // flag starts on, mode permissive
        var token = await host.GetManagementTokenAsync();
        var bodies = Enumerable.Range(0, Parallel).Select(i => i switch
        {
            66 => """{"flags":{"enable_dynamic_client_registration":false}}""",
            133 => """{"dynamic_client_registration_security_mode":"strict"}""",
            _ => $$"""{"friendly_name":"name-{{i}}"}""",
        });

        var results = await SendTogetherAsync(host, [.. bodies.Select(b => Patch("/api/v2/tenants/settings", token, b))]);

        results.ShouldAllBe(r => r.Status == HttpStatusCode.OK);
        var final = await host.TenantSettings.GetAsync(CancellationToken.None);
        final.Flags.EnableDynamicClientRegistration.ShouldBeFalse();
        final.DynamicClientRegistrationSecurityMode.ShouldBe(DynamicClientRegistrationSecurityMode.Strict);
        final.FriendlyName.ShouldNotBeNull().ShouldStartWith("name-");
        int.Parse(final.FriendlyName["name-".Length..]).ShouldNotBeOneOf(66, 133);
    }

    // 200 clients, each PATCHed once, plus one client PATCHed 200 times on two members.
    [Fact]
    public async Task PatchClients_200ParallelOnDifferentClientsAndMembers_NoUpdateLost()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();
        for (var i = 0; i <= Parallel; i++)
        {
            (await host.Clients.CreateAsync(new Client
            {
                ClientId = $"client-{i}",
                ClientName = "before",
                RedirectUris = ["https://app.example.com/before"],
                TokenEndpointAuthMethod = "none",
                IsDynamicallyRegistered = true,
                CreatedAt = DateTimeOffset.UtcNow,
            }, CancellationToken.None)).Succeeded.ShouldBeTrue();
        }

        var shared = $"/api/v2/clients/client-{Parallel}";
        var requests = Enumerable.Range(0, Parallel).Select(i => Patch($"/api/v2/clients/client-{i}", token, $$"""{"name":"after-{{i}}"}"""))
            .Concat(Enumerable.Range(0, Parallel).Select(i => i % 2 == 0
                ? Patch(shared, token, $$"""{"name":"shared-{{i}}"}""")
                : Patch(shared, token, $$"""{"callbacks":["https://app.example.com/cb-{{i}}"]}""")));

        var results = await SendTogetherAsync(host, [.. Shuffled(requests)]);

        results.ShouldAllBe(r => r.Status == HttpStatusCode.OK);
        for (var i = 0; i < Parallel; i++)
        {
            (await host.Clients.FindByIdAsync($"client-{i}", CancellationToken.None))!.ClientName.ShouldBe($"after-{i}");
        }

        var sharedClient = (await host.Clients.FindByIdAsync($"client-{Parallel}", CancellationToken.None)).ShouldNotBeNull();
        sharedClient.ClientName.ShouldNotBeNull().ShouldStartWith("shared-");
        sharedClient.RedirectUris.Single().ShouldStartWith("https://app.example.com/cb-");
    }

    // PATCH racing DELETE: every PATCH either applied to the whole record or found none; afterwards the
    // connection is gone everywhere (id, name index, listing) and its name can be used again.
    [Fact]
    public async Task PatchAndDeleteOneConnection_InParallel_ConsistentAndNo500()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();
        var ids = await SeedConnectionsAsync(host, 20);
        var requests = ids.SelectMany(id => Enumerable.Range(0, 10)
                .Select(i => Patch($"/api/v2/connections/{id}", token, i % 2 == 0 ? """{"is_domain_connection":true}""" : $$$"""{"options":{"i":{{{i}}}}}"""))
                .Append(() => TestHost.Authorized(HttpMethod.Delete, $"/api/v2/connections/{id}", token)))
            .ToArray();

        var results = await SendTogetherAsync(host, [.. Shuffled(requests)]);

        results.Count(r => r.Status == HttpStatusCode.Accepted).ShouldBe(ids.Length);
        foreach (var (status, body) in results.Where(r => r.Status != HttpStatusCode.Accepted))
        {
            status.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.NotFound);
            using var json = JsonDocument.Parse(body);
            if (status == HttpStatusCode.OK)
            {
                var id = json.RootElement.GetProperty("id").GetString()!;
                json.RootElement.GetProperty("name").GetString().ShouldBe($"conn-{Array.IndexOf(ids, id)}");
            }
            else
            {
                json.RootElement.GetProperty("errorCode").GetString().ShouldBe("inexistent_connection");
            }
        }

        for (var n = 0; n < ids.Length; n++)
        {
            (await host.Connections.FindByIdAsync(ids[n], CancellationToken.None)).ShouldBeNull();
            (await host.Connections.FindByNameAsync($"conn-{n}", CancellationToken.None)).ShouldBeNull();
            using var read = await host.SendAsync(HttpMethod.Get, $"/api/v2/connections/{ids[n]}", token);
            read.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        (await host.Connections.ListAsync(0, 100, CancellationToken.None)).Total.ShouldBe(0);
        await host.CreateConnectionAsync(token, "conn-0");
    }

    // Many DELETEs of one connection: exactly one succeeds.
    [Fact]
    public async Task DeleteOneConnection_50InParallel_ExactlyOneAccepted()
    {
        await using var host = await TestHost.StartAsync();
        var token = await host.GetManagementTokenAsync();
        var id = (await SeedConnectionsAsync(host, 1))[0];

        var results = await SendTogetherAsync(host,
            [.. Enumerable.Range(0, 50).Select(_ => (Func<HttpRequestMessage>)(() => TestHost.Authorized(HttpMethod.Delete, $"/api/v2/connections/{id}", token)))]);

        results.Count(r => r.Status == HttpStatusCode.Accepted).ShouldBe(1);
        results.Count(r => r.Status == HttpStatusCode.NotFound).ShouldBe(49);
    }
}
