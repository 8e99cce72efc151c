using System.Collections.Concurrent;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Stores.InMemory;

/// <summary>
/// Thread-safe connection store. Reads are lock-free; writes take one lock because a
/// write must keep the id and the unique-name index in step, and connections are few.
/// </summary>
public sealed class InMemoryConnectionStore : IConnectionStore
{
    private readonly ConcurrentDictionary<string, Sequenced<Connection>> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _idByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _writeLock = new();
    private long _sequence;

    /// <inheritdoc />
    public Task<StoreWriteResult<Connection>> CreateAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        lock (_writeLock)
        {
            if (_byId.ContainsKey(connection.Id))
            {
                return Task.FromResult(StoreWriteResult<Connection>.Failure(StoreWriteStatus.DuplicateId));
            }

            if (_idByName.ContainsKey(connection.Name))
            {
                return Task.FromResult(StoreWriteResult<Connection>.Failure(StoreWriteStatus.DuplicateName));
            }

            _byId[connection.Id] = new Sequenced<Connection>(++_sequence, connection);
            _idByName[connection.Name] = connection.Id;
            return Task.FromResult(StoreWriteResult<Connection>.Success(connection));
        }
    }

    /// <inheritdoc />
    public Task<Connection?> FindByIdAsync(string id, CancellationToken cancellationToken)
        => Task.FromResult(_byId.TryGetValue(id, out var entry) ? entry.Value : null);

    /// <inheritdoc />
    public Task<Connection?> FindByNameAsync(string name, CancellationToken cancellationToken)
        => Task.FromResult(_idByName.TryGetValue(name, out var id) && _byId.TryGetValue(id, out var entry) ? entry.Value : null);

    /// <inheritdoc />
    public Task<StorePage<Connection>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
        => Task.FromResult(Sequenced<Connection>.Page(_byId.Values, page, perPage));

    /// <inheritdoc />
    public Task<StoreWriteResult<Connection>> UpdateAsync(string id, Func<Connection, Connection> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_writeLock)
        {
            if (!_byId.TryGetValue(id, out var current))
            {
                return Task.FromResult(StoreWriteResult<Connection>.Failure(StoreWriteStatus.NotFound));
            }

            var updated = update(current.Value) with { Id = id };
            var renamed = !string.Equals(updated.Name, current.Value.Name, StringComparison.OrdinalIgnoreCase);
            if (renamed && _idByName.ContainsKey(updated.Name))
            {
                return Task.FromResult(StoreWriteResult<Connection>.Failure(StoreWriteStatus.DuplicateName));
            }

            _byId[id] = current.With(updated);
            if (renamed)
            {
                _idByName.TryRemove(current.Value.Name, out _);
            }

            _idByName[updated.Name] = id;
            return Task.FromResult(StoreWriteResult<Connection>.Success(updated));
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        lock (_writeLock)
        {
            if (!_byId.TryRemove(id, out var removed))
            {
                return Task.FromResult(false);
            }

            _idByName.TryRemove(removed.Value.Name, out _);
            return Task.FromResult(true);
        }
    }
}
