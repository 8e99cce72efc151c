using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Management;

/// <summary>The members of a connection a create or change may set; null members are left as they are.</summary>
internal sealed record ConnectionPatch(bool? IsDomainConnection = null, IReadOnlyList<string>? EnabledClients = null, IReadOnlyDictionary<string, string>? Options = null)
{
    public Connection ApplyTo(Connection current) => current with
    {
        IsDomainConnection = IsDomainConnection ?? current.IsDomainConnection,
        EnabledClients = EnabledClients ?? current.EnabledClients,
        Options = Options ?? current.Options,
    };
}

/// <summary>
/// The one way to create or change a connection, for <c>/api/v2/connections</c> and the dashboard
/// alike: validate with <see cref="ConnectionRules"/> (once), write atomically, one audit line per change.
/// </summary>
internal sealed class ConnectionService(IConnectionStore store, TimeProvider time, ILogger<ManagementLog> logger)
{
    /// <summary>Every connection, in creation order.</summary>
    public Task<IReadOnlyList<Connection>> ListAllAsync(CancellationToken cancellationToken) => store.ListAllAsync(cancellationToken);

    public Task<Connection?> FindAsync(string id, CancellationToken cancellationToken) => store.FindByIdAsync(id, cancellationToken);

    public async Task<ManagementOutcome<Connection>> CreateAsync(string name, string strategy, ConnectionPatch patch, ManagementActor actor, CancellationToken cancellationToken)
    {
        var connection = patch.ApplyTo(new Connection
        {
            Id = ConnectionIds.New(),
            Name = name,
            Strategy = strategy,
            CreatedAt = time.GetUtcNow(),
        });
        if (ConnectionRules.Validate(connection) is { } problem)
        {
            return ManagementOutcome<Connection>.Invalid(problem);
        }

        var created = await store.CreateAsync(connection, cancellationToken);
        if (!created.Succeeded)
        {
            return ManagementOutcome<Connection>.Failure(ManagementStatus.Conflict, "A connection with the same name already exists");
        }

        ManagementLog.ConnectionCreated(logger, connection.Id, actor.Name, actor.Channel);
        return ManagementOutcome<Connection>.Success(created.Value!);
    }

    /// <summary>Merges <paramref name="patch"/> into the stored connection atomically; name and strategy are fixed once created (Auth0).</summary>
    public async Task<ManagementOutcome<Connection>> UpdateAsync(string id, ConnectionPatch patch, ManagementActor actor, CancellationToken cancellationToken)
    {
        if (ConnectionRules.Check(patch) is { } problem)
        {
            return ManagementOutcome<Connection>.Invalid(problem);
        }

        var now = time.GetUtcNow();
        var updated = await store.UpdateAsync(id, current => patch.ApplyTo(current) with { UpdatedAt = now }, cancellationToken);
        if (!updated.Succeeded)
        {
            return ManagementOutcome<Connection>.Failure(ManagementStatus.NotFound);
        }

        ManagementLog.ConnectionUpdated(logger, id, actor.Name, actor.Channel);
        return ManagementOutcome<Connection>.Success(updated.Value!);
    }

    public async Task<bool> DeleteAsync(string id, ManagementActor actor, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(id, cancellationToken))
        {
            return false;
        }

        ManagementLog.ConnectionDeleted(logger, id, actor.Name, actor.Channel);
        return true;
    }
}
