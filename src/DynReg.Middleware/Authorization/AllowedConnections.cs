using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Authorization;

/// <summary>
/// Which connections a client may sign users in through: for a third-party client the domain
/// connections only (C6); for a first-party client the domain connections and those whose
/// <c>enabled_clients</c> list it.
/// </summary>
internal sealed class AllowedConnections(IConnectionStore connections)
{
    public async Task<IReadOnlyList<Connection>> ForClientAsync(Client client, CancellationToken cancellationToken)
        => [.. (await connections.ListAllAsync(cancellationToken))
            .Where(c => c.IsDomainConnection || (client.IsFirstParty && c.EnabledClients.Contains(client.ClientId)))];
}
