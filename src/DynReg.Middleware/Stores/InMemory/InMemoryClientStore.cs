using System.Collections.Concurrent;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Stores.InMemory;

/// <summary>Thread-safe, lock-free client store for tests, demos and single-instance hosts.</summary>
public sealed class InMemoryClientStore : IClientStore
{
    private readonly ConcurrentDictionary<string, Sequenced<Client>> _clients = new(StringComparer.Ordinal);
    private long _sequence;
    private int _dynamicClients;

    /// <inheritdoc />
    public Task<StoreWriteResult<Client>> CreateAsync(Client client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var entry = new Sequenced<Client>(Interlocked.Increment(ref _sequence), client);
        if (!_clients.TryAdd(client.ClientId, entry))
        {
            return Task.FromResult(StoreWriteResult<Client>.Failure(StoreWriteStatus.DuplicateId));
        }

        if (client.IsDynamicallyRegistered)
        {
            Interlocked.Increment(ref _dynamicClients);
        }

        return Task.FromResult(StoreWriteResult<Client>.Success(client));
    }

    /// <inheritdoc />
    public Task<Client?> FindByIdAsync(string clientId, CancellationToken cancellationToken)
        => Task.FromResult(_clients.TryGetValue(clientId, out var entry) ? entry.Value : null);

    /// <inheritdoc />
    public Task<StorePage<Client>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
        => Task.FromResult(Sequenced<Client>.Page(_clients.Values, page, perPage));

    /// <inheritdoc />
    public Task<StoreWriteResult<Client>> UpdateAsync(string clientId, Func<Client, Client> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        while (true)
        {
            if (!_clients.TryGetValue(clientId, out var current))
            {
                return Task.FromResult(StoreWriteResult<Client>.Failure(StoreWriteStatus.NotFound));
            }

            // The id is the key: an update never moves a client.
            var updated = update(current.Value) with { ClientId = clientId };
            if (_clients.TryUpdate(clientId, current.With(updated), current))
            {
                if (updated.IsDynamicallyRegistered != current.Value.IsDynamicallyRegistered)
                {
                    Interlocked.Add(ref _dynamicClients, updated.IsDynamicallyRegistered ? 1 : -1);
                }

                return Task.FromResult(StoreWriteResult<Client>.Success(updated));
            }
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!_clients.TryRemove(clientId, out var removed))
        {
            return Task.FromResult(false);
        }

        if (removed.Value.IsDynamicallyRegistered)
        {
            Interlocked.Decrement(ref _dynamicClients);
        }

        return Task.FromResult(true);
    }

    /// <summary>A counter kept beside the records: O(1), no listing.</summary>
    public Task<int> CountDynamicClientsAsync(CancellationToken cancellationToken) => Task.FromResult(Volatile.Read(ref _dynamicClients));
}
