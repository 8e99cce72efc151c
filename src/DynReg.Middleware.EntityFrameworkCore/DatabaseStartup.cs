using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// Makes the schema ready once per host, before anything reads a table: applies pending migrations
/// when allowed, else refuses to start while any is pending. Runs when the hosted services are starting
/// (or first from the shared signing-key source, whichever comes first), before any hosted service starts.
/// </summary>
internal sealed class DatabaseStartup<TContext>(
    IServiceProvider services,
    IHostEnvironment environment,
    IOptions<EntityFrameworkCoreStoreOptions> options,
    ILogger<DatabaseStartup<TContext>> logger) : IHostedLifecycleService where TContext : DbContext
{
    private readonly SemaphoreSlim _once = new(1, 1);
    private bool _ready;

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        await _once.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            await using var scope = services.CreateAsyncScope();
            var context = scope.ServiceProvider.GetService<IDbContextFactory<TContext>>() is { } factory
                ? await factory.CreateDbContextAsync(cancellationToken)
                : scope.ServiceProvider.GetRequiredService<TContext>();
            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToArray();
            if (pending.Length > 0)
            {
                if (!(options.Value.ApplyMigrationsAtStartup ?? environment.IsDevelopment()))
                {
                    throw new InvalidOperationException(
                        $"The DynReg.Middleware database schema of {typeof(TContext).Name} is behind: {pending.Length} migration(s) pending "
                        + $"({string.Join(", ", pending)}). Apply them (dotnet ef database update, or a migration bundle), "
                        + "or set ApplyMigrationsAtStartup = true in AddEntityFrameworkCoreStores.");
                }

                await context.Database.MigrateAsync(cancellationToken);
                Log.MigrationsApplied(logger, pending.Length);
            }

            if (context.Database.IsSqlite())
            {
                // Write-ahead logging: readers do not block the writer, and a committed transaction
                // survives a killed process (https://www.sqlite.org/wal.html). Kept in the file.
                await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            _ready = true;
        }
        finally
        {
            _once.Release();
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => EnsureReadyAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
