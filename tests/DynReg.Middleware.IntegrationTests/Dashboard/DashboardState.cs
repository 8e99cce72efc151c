using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Dashboard;

/// <summary>
/// Everything the dashboard can change, read from the stores. Unchanged records are the very
/// instances the stores hold, so equal snapshots mean nothing was written.
/// </summary>
internal sealed record DashboardState(TenantSettings Settings, IReadOnlyList<Connection> Connections, IReadOnlyList<Client> Clients)
{
    public static async Task<DashboardState> ReadAsync(TestHost host)
    {
        var settings = await host.TenantSettings.GetAsync(CancellationToken.None);
        var connections = await host.Connections.ListAsync(0, 1000, CancellationToken.None);
        var clients = await host.Clients.ListAsync(0, 100_000, CancellationToken.None);
        return new DashboardState(settings, connections.Items, clients.Items);
    }

    public void ShouldBeUnchangedFrom(DashboardState before)
    {
        Settings.ShouldBe(before.Settings);
        Connections.ShouldBe(before.Connections);
        Clients.ShouldBe(before.Clients);
    }
}
