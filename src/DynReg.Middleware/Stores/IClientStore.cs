using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Stores;

/// <summary>
/// Persistence for clients. Rules (validation, hashing secrets) run before the store is
/// called; a store only keeps records, atomically.
/// </summary>
public interface IClientStore
{
    /// <summary>Adds a client; <see cref="StoreWriteStatus.DuplicateId"/> when the id exists. Durable when the task completes.</summary>
    Task<StoreWriteResult<Client>> CreateAsync(Client client, CancellationToken cancellationToken);

    /// <summary>The client, or null when there is none with that id.</summary>
    Task<Client?> FindByIdAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>Clients in creation order; <paramref name="page"/> is zero-based, as in Auth0's API.</summary>
    Task<StorePage<Client>> ListAsync(int page, int perPage, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="update"/> to the current record atomically: concurrent updates
    /// lose nothing. The delegate must be pure; a store may call it more than once.
    /// The client id cannot change.
    /// </summary>
    Task<StoreWriteResult<Client>> UpdateAsync(string clientId, Func<Client, Client> update, CancellationToken cancellationToken);

    /// <summary>Removes a client; false when there was none.</summary>
    Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>
    /// How many dynamically registered clients the store holds (the registration ceiling reads it on
    /// every registration). The default pages through <see cref="ListAsync"/>; a store should answer
    /// from a counter or an index instead, as the in-memory and Redis stores do.
    /// </summary>
    async Task<int> CountDynamicClientsAsync(CancellationToken cancellationToken)
    {
        const int PerPage = 100;
        var count = 0;
        for (var page = 0; ; page++)
        {
            var items = (await ListAsync(page, PerPage, cancellationToken)).Items;
            count += items.Count(c => c.IsDynamicallyRegistered);
            if (items.Count < PerPage)
            {
                return count;
            }
        }
    }
}
