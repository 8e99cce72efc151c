using DynReg.Middleware.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// Codes, refresh tokens, login transactions and tickets as rows with an expiry.
/// <see cref="TakeAsync"/> is one <c>DELETE ... RETURNING</c> (PostgreSQL and SQLite 3.35+ both have
/// it): the database deletes the row for exactly one of any number of concurrent callers on any
/// number of instances, and only that one gets the value back (RFC 6749 §4.1.2, §10.5: a code is
/// used once). Expired rows answer nothing and are deleted by <see cref="ExpiredStateCleanup{TContext}"/>.
/// </summary>
internal sealed class EfProtocolStateStore<TContext>(ContextSource<TContext> contexts, TimeProvider time) : IProtocolStateStore
    where TContext : DbContext
{
    private string? _takeSql;

    public Task SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = value.ToArray();
        var expiresAt = (time.GetUtcNow() + lifetime).ToUnixTimeMilliseconds();
        return contexts.RunAsync(async context =>
        {
            var rows = context.Set<ProtocolStateRow>();
            if (lifetime <= TimeSpan.Zero)
            {
                // Already expired: nothing to keep, and nothing older under that key either.
                await rows.Where(s => s.Key == key).ExecuteDeleteAsync(cancellationToken);
                return;
            }

            // Keys are fresh random values, so the INSERT is the usual path; a rewrite of a key is an UPDATE.
            while (true)
            {
                if (await Overwrite(rows, key, bytes, expiresAt, cancellationToken) == 1)
                {
                    return;
                }

                var row = context.Add(new ProtocolStateRow { Key = key, Value = bytes, ExpiresAt = expiresAt });
                try
                {
                    await context.SaveChangesAsync(cancellationToken);
                    return;
                }
                catch (DbUpdateException exception) when (EfFailure.UniqueViolation(exception) is not null)
                {
                    // Another writer inserted the key in between: overwrite theirs.
                    row.State = EntityState.Detached;
                }
            }
        }, cancellationToken);
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return contexts.RunAsync(context => context.Set<ProtocolStateRow>().AsNoTracking()
            .Where(s => s.Key == key && s.ExpiresAt > now).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken), cancellationToken);
    }

    public Task<byte[]?> TakeAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return contexts.RunAsync(async context =>
        {
            // Not composed with LINQ, so EF Core sends the statement as written (EF Core docs: "SQL Queries").
            var taken = await context.Database.SqlQueryRaw<TakenState>(TakeSql(context), key).ToListAsync(cancellationToken);

            // An expired row is deleted all the same, and answers nothing.
            return taken is [{ } row] && row.ExpiresAt > now ? row.Value : null;
        }, cancellationToken);
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken)
        => contexts.RunAsync(context => context.Set<ProtocolStateRow>().Where(s => s.Key == key).ExecuteDeleteAsync(cancellationToken), cancellationToken);

    private static Task<int> Overwrite(DbSet<ProtocolStateRow> rows, string key, byte[] value, long expiresAt, CancellationToken cancellationToken)
        => rows.Where(s => s.Key == key).ExecuteUpdateAsync(set => set.SetProperty(s => s.Value, value).SetProperty(s => s.ExpiresAt, expiresAt), cancellationToken);

    /// <summary>The statement, with the table and column names the host's model gives (a schema, a naming convention).</summary>
    private string TakeSql(TContext context)
    {
        if (_takeSql is { } sql)
        {
            return sql;
        }

        var entity = context.Model.FindEntityType(typeof(ProtocolStateRow))
            ?? throw new InvalidOperationException($"{typeof(TContext).Name} does not map DynReg.Middleware's tables: call modelBuilder.UseDynamicRegistration() in OnModelCreating.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var helper = context.GetService<ISqlGenerationHelper>();
        string Column(string property) => helper.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        return _takeSql = $"DELETE FROM {helper.DelimitIdentifier(table.Name, table.Schema)} WHERE {Column(nameof(ProtocolStateRow.Key))} = {{0}} "
            + $"RETURNING {Column(nameof(ProtocolStateRow.Value))} AS {helper.DelimitIdentifier(nameof(TakenState.Value))}, "
            + $"{Column(nameof(ProtocolStateRow.ExpiresAt))} AS {helper.DelimitIdentifier(nameof(TakenState.ExpiresAt))}";
    }

    private sealed class TakenState
    {
        public required byte[] Value { get; init; }

        public long ExpiresAt { get; init; }
    }
}
