using System.Text.Json;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>
/// Connections in Redis: JSON per key, a creation-ordered sorted set, and a hash from
/// upper-cased name to id that keeps names unique ignoring case. Every write keeps record,
/// order and name index in step in one atomic step (a Lua script or a conditional MULTI).
/// </summary>
internal sealed class RedisConnectionStore(RedisConnection redis, RedisKeys keys) : IConnectionStore
{
    // KEYS: record, order, sequence, names. ARGV: json, id, name field.
    // Returns 0 when created, 1 when the id exists, 2 when the name is taken.
    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
        if redis.call('HEXISTS', KEYS[4], ARGV[3]) == 1 then return 2 end
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[2])
        redis.call('HSET', KEYS[4], ARGV[3], ARGV[2])
        return 0
        """;

    public async Task<StoreWriteResult<Connection>> CreateAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var outcome = (int)await db.ScriptEvaluateAsync(
                CreateScript,
                [keys.Connection(connection.Id), keys.ConnectionOrder, keys.ConnectionSequence, keys.ConnectionNames],
                [Serialize(connection), connection.Id, RedisKeys.ConnectionNameField(connection.Name)]);
            return outcome switch
            {
                0 => StoreWriteResult<Connection>.Success(connection),
                1 => StoreWriteResult<Connection>.Failure(StoreWriteStatus.DuplicateId),
                _ => StoreWriteResult<Connection>.Failure(StoreWriteStatus.DuplicateName),
            };
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<Connection?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            return Deserialize(await db.StringGetAsync(keys.Connection(id)));
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<Connection?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var id = await db.HashGetAsync(keys.ConnectionNames, RedisKeys.ConnectionNameField(name));
            if (id.IsNull)
            {
                return null;
            }

            // Renamed between the two reads: the name no longer names it.
            var connection = Deserialize(await db.StringGetAsync(keys.Connection(id!)));
            return connection is not null && string.Equals(connection.Name, name, StringComparison.OrdinalIgnoreCase) ? connection : null;
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<StorePage<Connection>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perPage);
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var (ids, total) = await RedisPaging.PageAsync(db, keys.ConnectionOrder, page, perPage);
            if (ids.Length == 0)
            {
                return new StorePage<Connection>([], total);
            }

            var values = await db.StringGetAsync([.. ids.Select(id => keys.Connection(id!))]);
            return new StorePage<Connection>([.. values.Select(Deserialize).OfType<Connection>()], total);
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<StoreWriteResult<Connection>> UpdateAsync(string id, Func<Connection, Connection> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var key = keys.Connection(id);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var json = await db.StringGetAsync(key);
                if (Deserialize(json) is not { } current)
                {
                    return StoreWriteResult<Connection>.Failure(StoreWriteStatus.NotFound);
                }

                var updated = update(current) with { Id = id };
                var oldField = RedisKeys.ConnectionNameField(current.Name);
                var newField = RedisKeys.ConnectionNameField(updated.Name);
                var renamed = oldField != newField;
                if (renamed && await db.HashGetAsync(keys.ConnectionNames, newField) is { IsNull: false } owner && owner != id)
                {
                    return StoreWriteResult<Connection>.Failure(StoreWriteStatus.DuplicateName);
                }

                // Written only if the record is unchanged and (on a rename) the new name is still free;
                // otherwise read again and decide again.
                var transaction = db.CreateTransaction();
                transaction.AddCondition(Condition.StringEqual(key, json));
                _ = transaction.StringSetAsync(key, Serialize(updated));
                if (renamed)
                {
                    transaction.AddCondition(Condition.HashNotExists(keys.ConnectionNames, newField));
                    _ = transaction.HashDeleteAsync(keys.ConnectionNames, oldField);
                    _ = transaction.HashSetAsync(keys.ConnectionNames, newField, id);
                }

                if (await transaction.ExecuteAsync())
                {
                    return StoreWriteResult<Connection>.Success(updated);
                }
            }
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var key = keys.Connection(id);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var json = await db.StringGetAsync(key);
                if (Deserialize(json) is not { } current)
                {
                    return false;
                }

                // The name is read from the record, so the record must not change before the delete.
                var field = RedisKeys.ConnectionNameField(current.Name);
                var transaction = db.CreateTransaction();
                transaction.AddCondition(Condition.StringEqual(key, json));
                transaction.AddCondition(Condition.HashEqual(keys.ConnectionNames, field, id));
                _ = transaction.KeyDeleteAsync(key);
                _ = transaction.SortedSetRemoveAsync(keys.ConnectionOrder, id);
                _ = transaction.HashDeleteAsync(keys.ConnectionNames, field);
                if (await transaction.ExecuteAsync())
                {
                    return true;
                }
            }
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    private static RedisValue Serialize(Connection connection) => JsonSerializer.SerializeToUtf8Bytes(connection, RedisJsonContext.Default.Connection);

    private static Connection? Deserialize(RedisValue json)
        => json.IsNull ? null : JsonSerializer.Deserialize((byte[])json!, RedisJsonContext.Default.Connection);
}
