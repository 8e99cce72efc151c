using System.Text.Json;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.EntityFrameworkCore;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// Clients as rows: a create is one INSERT that the unique index on the id refuses for a duplicate;
/// an update is one conditional UPDATE (WHERE the version is the one read) retried until it wins,
/// so concurrent updates on any number of instances lose nothing.
/// </summary>
internal sealed class EfClientStore<TContext>(ContextSource<TContext> contexts) : IClientStore where TContext : DbContext
{
    public Task<StoreWriteResult<Client>> CreateAsync(Client client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return contexts.RunAsync(async context =>
        {
            context.Add(new ClientRow
            {
                ClientId = client.ClientId,
                ClientName = client.ClientName,
                IsDynamicallyRegistered = client.IsDynamicallyRegistered,
                Json = Serialize(client),
                Version = Guid.NewGuid(),
            });
            try
            {
                await context.SaveChangesAsync(cancellationToken);
                return StoreWriteResult<Client>.Success(client);
            }
            catch (DbUpdateException exception) when (EfFailure.UniqueViolation(exception) is not null)
            {
                return StoreWriteResult<Client>.Failure(StoreWriteStatus.DuplicateId);
            }
        }, cancellationToken);
    }

    public Task<Client?> FindByIdAsync(string clientId, CancellationToken cancellationToken)
        => contexts.RunAsync(async context => Deserialize(await context.Set<ClientRow>().AsNoTracking()
            .Where(c => c.ClientId == clientId).Select(c => c.Json).FirstOrDefaultAsync(cancellationToken)), cancellationToken);

    public Task<StorePage<Client>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
        => contexts.RunAsync(context => RecordPaging.PageAsync(
            context.Set<ClientRow>().AsNoTracking(), c => c.Sequence, c => c.Json, EfJsonContext.Default.Client, page, perPage, cancellationToken), cancellationToken);

    public Task<StoreWriteResult<Client>> UpdateAsync(string clientId, Func<Client, Client> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        return contexts.RunAsync(async context =>
        {
            var rows = context.Set<ClientRow>();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var current = await rows.AsNoTracking().Where(c => c.ClientId == clientId)
                    .Select(c => new { c.Json, c.Version }).FirstOrDefaultAsync(cancellationToken);
                if (current is null)
                {
                    return StoreWriteResult<Client>.Failure(StoreWriteStatus.NotFound);
                }

                // The id is the key: an update never moves a client.
                var updated = update(Deserialize(current.Json)!) with { ClientId = clientId };
                var json = Serialize(updated);
                var version = Guid.NewGuid();

                // A deleted row matches no more, so an update never brings it back.
                var written = await rows.Where(c => c.ClientId == clientId && c.Version == current.Version).ExecuteUpdateAsync(
                    set => set.SetProperty(c => c.Json, json)
                        .SetProperty(c => c.Version, version)
                        .SetProperty(c => c.ClientName, updated.ClientName)
                        .SetProperty(c => c.IsDynamicallyRegistered, updated.IsDynamicallyRegistered),
                    cancellationToken);
                if (written == 1)
                {
                    return StoreWriteResult<Client>.Success(updated);
                }
            }
        }, cancellationToken);
    }

    public Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken)
        => contexts.RunAsync(async context
            => await context.Set<ClientRow>().Where(c => c.ClientId == clientId).ExecuteDeleteAsync(cancellationToken) > 0, cancellationToken);

    public Task<int> CountDynamicClientsAsync(CancellationToken cancellationToken)
        => contexts.RunAsync(context => context.Set<ClientRow>().CountAsync(c => c.IsDynamicallyRegistered, cancellationToken), cancellationToken);

    private static string Serialize(Client client) => JsonSerializer.Serialize(client, EfJsonContext.Default.Client);

    private static Client? Deserialize(string? json) => json is null ? null : JsonSerializer.Deserialize(json, EfJsonContext.Default.Client);
}
