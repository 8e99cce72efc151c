using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// Gives the singleton stores a short-lived context per call: from the host's
/// <see cref="IDbContextFactory{TContext}"/> when it registered one, else from a scope of its own
/// (EF Core docs: a context is a unit of work, not shared between concurrent operations).
/// Database outages leave as <see cref="Stores.StoreUnavailableException"/>.
/// </summary>
internal sealed class ContextSource<TContext>(IServiceProvider services) where TContext : DbContext
{
    private readonly IDbContextFactory<TContext>? _factory = services.GetService<IDbContextFactory<TContext>>();
    private readonly IServiceScopeFactory _scopes = services.GetRequiredService<IServiceScopeFactory>();

    public async Task<T> RunAsync<T>(Func<TContext, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            if (_factory is not null)
            {
                await using var context = await _factory.CreateDbContextAsync(cancellationToken);
                return await work(context);
            }

            await using var scope = _scopes.CreateAsyncScope();
            return await work(scope.ServiceProvider.GetRequiredService<TContext>());
        }
        catch (Exception exception) when (EfFailure.IsOutage(exception))
        {
            throw EfFailure.Unavailable(exception);
        }
    }

    public Task RunAsync(Func<TContext, Task> work, CancellationToken cancellationToken)
        => RunAsync(async context =>
        {
            await work(context);
            return true;
        }, cancellationToken);
}
