using System.Text.Json;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.EntityFrameworkCore;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// Connections as rows. Names are unique because the database says so: a unique index on the
/// upper-cased name, so two instances creating or renaming onto one name at once cannot both win.
/// Updates are conditional on the version read, retried, as for clients.
/// </summary>
internal sealed class EfConnectionStore<TContext>(ContextSource<TContext> contexts) : IConnectionStore where TContext : DbContext
{
    public Task<StoreWriteResult<Connection>> CreateAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return contexts.RunAsync(async context =>
        {
            context.Add(new ConnectionRow
            {
                Id = connection.Id,
                NormalizedName = Normalize(connection.Name),
                Json = Serialize(connection),
                Version = Guid.NewGuid(),
            });
            try
            {
                await context.SaveChangesAsync(cancellationToken);
                return StoreWriteResult<Connection>.Success(connection);
            }
            catch (DbUpdateException exception) when (EfFailure.UniqueViolation(exception) is { } violation)
            {
                return StoreWriteResult<Connection>.Failure(
                    EfFailure.IsOnConnectionName(violation) ? StoreWriteStatus.DuplicateName : StoreWriteStatus.DuplicateId);
            }
        }, cancellationToken);
    }

    public Task<Connection?> FindByIdAsync(string id, CancellationToken cancellationToken)
        => contexts.RunAsync(async context => Deserialize(await context.Set<ConnectionRow>().AsNoTracking()
            .Where(c => c.Id == id).Select(c => c.Json).FirstOrDefaultAsync(cancellationToken)), cancellationToken);

    public Task<Connection?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        var normalized = Normalize(name);
        return contexts.RunAsync(async context => Deserialize(await context.Set<ConnectionRow>().AsNoTracking()
            .Where(c => c.NormalizedName == normalized).Select(c => c.Json).FirstOrDefaultAsync(cancellationToken)), cancellationToken);
    }

    public Task<StorePage<Connection>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
        => contexts.RunAsync(context => RecordPaging.PageAsync(
            context.Set<ConnectionRow>().AsNoTracking(), c => c.Sequence, c => c.Json, EfJsonContext.Default.Connection, page, perPage, cancellationToken), cancellationToken);

    public Task<StoreWriteResult<Connection>> UpdateAsync(string id, Func<Connection, Connection> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        return contexts.RunAsync(async context =>
        {
            var rows = context.Set<ConnectionRow>();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var current = await rows.AsNoTracking().Where(c => c.Id == id)
                    .Select(c => new { c.Json, c.Version }).FirstOrDefaultAsync(cancellationToken);
                if (current is null)
                {
                    return StoreWriteResult<Connection>.Failure(StoreWriteStatus.NotFound);
                }

                var updated = update(Deserialize(current.Json)!) with { Id = id };
                var json = Serialize(updated);
                var name = Normalize(updated.Name);
                var version = Guid.NewGuid();
                try
                {
                    var written = await rows.Where(c => c.Id == id && c.Version == current.Version).ExecuteUpdateAsync(
                        set => set.SetProperty(c => c.Json, json).SetProperty(c => c.Version, version).SetProperty(c => c.NormalizedName, name),
                        cancellationToken);
                    if (written == 1)
                    {
                        return StoreWriteResult<Connection>.Success(updated);
                    }
                }
                catch (Exception exception) when (EfFailure.UniqueViolation(exception) is not null)
                {
                    // The one statement failed whole: the row keeps its old name and record.
                    return StoreWriteResult<Connection>.Failure(StoreWriteStatus.DuplicateName);
                }
            }
        }, cancellationToken);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
        => contexts.RunAsync(async context
            => await context.Set<ConnectionRow>().Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken) > 0, cancellationToken);

    /// <summary>The same folding as <see cref="StringComparer.OrdinalIgnoreCase"/>, which the in-memory store matches names with.</summary>
    private static string Normalize(string name) => name.ToUpperInvariant();

    private static string Serialize(Connection connection) => JsonSerializer.Serialize(connection, EfJsonContext.Default.Connection);

    private static Connection? Deserialize(string? json) => json is null ? null : JsonSerializer.Deserialize(json, EfJsonContext.Default.Connection);
}
