using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Stores;

/// <summary>Persistence for connections; names are unique across the tenant.</summary>
public interface IConnectionStore
{
    /// <summary>Adds a connection; <see cref="StoreWriteStatus.DuplicateId"/> or <see cref="StoreWriteStatus.DuplicateName"/> on conflict.</summary>
    Task<StoreWriteResult<Connection>> CreateAsync(Connection connection, CancellationToken cancellationToken);

    /// <summary>The connection, or null when there is none with that id.</summary>
    Task<Connection?> FindByIdAsync(string id, CancellationToken cancellationToken);

    /// <summary>Names are unique and matched ignoring case.</summary>
    Task<Connection?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Connections in creation order; <paramref name="page"/> is zero-based.</summary>
    Task<StorePage<Connection>> ListAsync(int page, int perPage, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="update"/> atomically (see <see cref="IClientStore.UpdateAsync"/>).
    /// A rename onto an existing name is <see cref="StoreWriteStatus.DuplicateName"/> and changes nothing.
    /// </summary>
    Task<StoreWriteResult<Connection>> UpdateAsync(string id, Func<Connection, Connection> update, CancellationToken cancellationToken);

    /// <summary>Removes a connection (and frees its name); false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
