using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Stores;

/// <summary>
/// Records when a client is used (a token, an authorization response), for <c>last_used_at</c>
/// and the stale-client cleanup. Writes at most once per <see cref="Resolution"/> per client, so
/// the hot paths rarely pay for a store write.
/// </summary>
internal sealed class ClientUsage(IClientStore clients, TimeProvider time)
{
    /// <summary>How coarse <see cref="Client.LastUsedAt"/> is: one hour.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromHours(1);

    /// <summary>Notes that <paramref name="client"/> was used now, unless it was within <see cref="Resolution"/>.</summary>
    public async Task RecordAsync(Client client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (client.LastUsedAt is { } lastUsed && now - lastUsed < Resolution)
        {
            return;
        }

        await clients.UpdateAsync(client.ClientId, current => current.LastUsedAt is { } latest && now - latest < Resolution
            ? current
            : current with { LastUsedAt = now }, cancellationToken);
    }
}
