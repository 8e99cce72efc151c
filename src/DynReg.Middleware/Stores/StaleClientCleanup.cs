using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Stores;

/// <summary>
/// Deletes dynamically registered clients never used (no token, no authorization response)
/// within <see cref="StaleClientOptions.NeverUsedFor"/> of registering, every
/// <see cref="StaleClientOptions.SweepInterval"/>, when <see cref="StaleClientOptions.Enabled"/>.
/// First-party clients are never touched.
/// </summary>
internal sealed partial class StaleClientCleanup(
    IClientStore clients,
    IOptions<DynamicRegistrationOptions> options,
    TimeProvider time,
    ILogger<StaleClientCleanup> logger) : BackgroundService
{
    private const int PageSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.StaleClients;
        if (!settings.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A store outage must not end the job; the next tick tries again.
                SweepFailed(logger, exception);
            }
        }
    }

    /// <summary>One pass: list first (deleting while paging would shift the pages), then delete.</summary>
    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.StaleClients.NeverUsedFor;
        var stale = new List<string>();
        for (var page = 0; ; page++)
        {
            var batch = await clients.ListAsync(page, PageSize, cancellationToken);
            stale.AddRange(batch.Items.Where(c => IsStale(c, cutoff)).Select(c => c.ClientId));
            if (batch.Items.Count < PageSize)
            {
                break;
            }
        }

        var deleted = 0;
        foreach (var clientId in stale)
        {
            // Used since it was listed? Then it stays.
            if (await clients.FindByIdAsync(clientId, cancellationToken) is { } current && IsStale(current, cutoff)
                && await clients.DeleteAsync(clientId, cancellationToken))
            {
                deleted++;
                StaleClientDeleted(logger, clientId);
            }
        }

        return deleted;
    }

    private static bool IsStale(Models.Client client, DateTimeOffset cutoff)
        => client.IsDynamicallyRegistered && !client.IsFirstParty && client.LastUsedAt is null && client.CreatedAt <= cutoff;

    [LoggerMessage(DynReg.Middleware.Hosting.EventIds.Stores, LogLevel.Information, "Deleted dynamically registered client {ClientId}: never used since it registered.")]
    private static partial void StaleClientDeleted(ILogger logger, string clientId);

    [LoggerMessage(DynReg.Middleware.Hosting.EventIds.Stores + 1, LogLevel.Warning, "The stale-client sweep failed; it runs again at the next interval.")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
