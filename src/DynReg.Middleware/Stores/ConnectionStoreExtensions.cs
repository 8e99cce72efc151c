using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Stores;

/// <summary>Reads over <see cref="IConnectionStore"/> that several capabilities share.</summary>
public static class ConnectionStoreExtensions
{
    private const int PageSize = 100;

    /// <summary>Every connection, in creation order. Connections are few (Auth0 caps them), so this pages through all.</summary>
    public static async Task<IReadOnlyList<Connection>> ListAllAsync(this IConnectionStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var all = new List<Connection>();
        for (var page = 0; ; page++)
        {
            var batch = await store.ListAsync(page, PageSize, cancellationToken);
            all.AddRange(batch.Items);
            if (batch.Items.Count < PageSize)
            {
                return all;
            }
        }
    }
}
