using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>One page of a sorted-set index in creation order, with the total, read together (MULTI).</summary>
internal static class RedisPaging
{
    public static async Task<(RedisValue[] Ids, int Total)> PageAsync(IDatabase db, RedisKey order, int page, int perPage)
    {
        var start = (long)page * perPage;
        var transaction = db.CreateTransaction();
        var total = transaction.SortedSetLengthAsync(order);
        var ids = transaction.SortedSetRangeByRankAsync(order, start, start + perPage - 1);
        await transaction.ExecuteAsync();
        return (await ids, (int)Math.Min(await total, int.MaxValue));
    }
}
