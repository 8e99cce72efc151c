using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// Deletes expired protocol state (abandoned login transactions, codes never redeemed) now and
/// then, so the table holds only what can still be used. Expired rows answer nothing even before
/// this runs; every instance may run it, a DELETE of rows already gone does no harm.
/// </summary>
internal sealed class ExpiredStateCleanup<TContext>(
    ContextSource<TContext> contexts,
    TimeProvider time,
    IOptions<EntityFrameworkCoreStoreOptions> options,
    ILogger<ExpiredStateCleanup<TContext>> logger) : BackgroundService where TContext : DbContext
{
    /// <summary>Deletes what expired by now; the number of rows deleted.</summary>
    public Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return contexts.RunAsync(context => context.Set<ProtocolStateRow>().Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken), cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ExpiredStateCleanupInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await RunOnceAsync(stoppingToken);
                Log.ExpiredStateDeleted(logger, deleted);
            }
            catch (Stores.StoreUnavailableException exception)
            {
                // The database is down for now; the next tick tries again.
                Log.CleanupFailed(logger, exception);
            }
        }
    }
}
