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
    private const int PageSize = 100;

    public async Task<IReadOnlyList<Connection>> ForClientAsync(Client client, CancellationToken cancellationToken)
    {
        var allowed = new List<Connection>();
        for (var page = 0; ; page++)
        {
            var batch = await connections.ListAsync(page, PageSize, cancellationToken);
            allowed.AddRange(batch.Items.Where(c => c.IsDomainConnection || (client.IsFirstParty && c.EnabledClients.Contains(client.ClientId))));
            if (batch.Items.Count < PageSize)
            {
                return allowed;
            }
        }
    }
}
