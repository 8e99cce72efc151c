using System.Text.Json;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>
/// Clients in Redis: each as JSON under its own key, plus a sorted set of ids scored by a
/// creation counter for listing. A create is one Lua script (exists-check, record, index);
/// an update is an optimistic transaction that retries when the record changed in between.
/// Dynamically registered clients are also in a set, so counting them is one SCARD.
/// </summary>
internal sealed class RedisClientStore(RedisConnection redis, RedisKeys keys) : IClientStore
{
    // KEYS: record, order, sequence, dynamic set. ARGV: json, id, "1" when dynamically registered.
    // Returns 1 when created, 0 when the id exists.
    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[2])
        if ARGV[3] == '1' then redis.call('SADD', KEYS[4], ARGV[2]) end
        return 1
        """;

    public async Task<StoreWriteResult<Client>> CreateAsync(Client client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var created = (int)await db.ScriptEvaluateAsync(
                CreateScript,
                [keys.Client(client.ClientId), keys.ClientOrder, keys.ClientSequence, keys.DynamicClients],
                [Serialize(client), client.ClientId, client.IsDynamicallyRegistered ? "1" : "0"]);
            return created == 1
                ? StoreWriteResult<Client>.Success(client)
                : StoreWriteResult<Client>.Failure(StoreWriteStatus.DuplicateId);
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<Client?> FindByIdAsync(string clientId, CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            return Deserialize(await db.StringGetAsync(keys.Client(clientId)));
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<StorePage<Client>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perPage);
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var (ids, total) = await RedisPaging.PageAsync(db, keys.ClientOrder, page, perPage);
            if (ids.Length == 0)
            {
                return new StorePage<Client>([], total);
            }

            var values = await db.StringGetAsync([.. ids.Select(id => keys.Client(id!))]);

            // A client deleted between the two reads is left out.
            return new StorePage<Client>([.. values.Select(Deserialize).OfType<Client>()], total);
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<StoreWriteResult<Client>> UpdateAsync(string clientId, Func<Client, Client> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var key = keys.Client(clientId);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var json = await db.StringGetAsync(key);
                if (Deserialize(json) is not { } current)
                {
                    return StoreWriteResult<Client>.Failure(StoreWriteStatus.NotFound);
                }

                // The id is the key: an update never moves a client.
                var updated = update(current) with { ClientId = clientId };

                // Written only if the record is still the one the delegate saw (WATCH + MULTI);
                // a deleted record fails the condition too, so an update never brings it back.
                var transaction = db.CreateTransaction();
                transaction.AddCondition(Condition.StringEqual(key, json));
                _ = transaction.StringSetAsync(key, Serialize(updated));
                if (updated.IsDynamicallyRegistered != current.IsDynamicallyRegistered)
                {
                    _ = updated.IsDynamicallyRegistered
                        ? transaction.SetAddAsync(keys.DynamicClients, clientId)
                        : transaction.SetRemoveAsync(keys.DynamicClients, clientId);
                }

                if (await transaction.ExecuteAsync())
                {
                    return StoreWriteResult<Client>.Success(updated);
                }
            }
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            var transaction = db.CreateTransaction();
            var deleted = transaction.KeyDeleteAsync(keys.Client(clientId));
            _ = transaction.SortedSetRemoveAsync(keys.ClientOrder, clientId);
            _ = transaction.SetRemoveAsync(keys.DynamicClients, clientId);
            await transaction.ExecuteAsync();
            return await deleted;
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    public async Task<int> CountDynamicClientsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.GetDatabaseAsync(cancellationToken);
            return (int)await db.SetLengthAsync(keys.DynamicClients);
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            throw RedisFailure.Unavailable(exception);
        }
    }

    private static RedisValue Serialize(Client client) => JsonSerializer.SerializeToUtf8Bytes(client, RedisJsonContext.Default.Client);

    private static Client? Deserialize(RedisValue json)
        => json.IsNull ? null : JsonSerializer.Deserialize((byte[])json!, RedisJsonContext.Default.Client);
}
