using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DynReg.Middleware.Stores;
using Microsoft.EntityFrameworkCore;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>One zero-based page of records in creation order, with the total (Auth0's <c>include_totals</c>).</summary>
internal static class RecordPaging
{
    public static async Task<StorePage<T>> PageAsync<TRow, T>(
        IQueryable<TRow> rows,
        Expression<Func<TRow, long>> order,
        Expression<Func<TRow, string>> json,
        JsonTypeInfo<T> type,
        int page,
        int perPage,
        CancellationToken cancellationToken) where TRow : class
    {
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perPage);
        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderBy(order).Skip(page * perPage).Take(perPage).Select(json).ToListAsync(cancellationToken);
        return new StorePage<T>([.. items.Select(j => JsonSerializer.Deserialize(j, type)!)], total);
    }
}
