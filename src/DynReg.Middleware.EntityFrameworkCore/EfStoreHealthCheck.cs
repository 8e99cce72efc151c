using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>Healthy when the database answers a query on the provider's tables.</summary>
internal sealed class EfStoreHealthCheck<TContext>(ContextSource<TContext> contexts) : IHealthCheck where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var clients = await contexts.RunAsync(db => db.Set<ClientRow>().CountAsync(cancellationToken), cancellationToken);
            return HealthCheckResult.Healthy($"The database answers; {clients} clients.");
        }
        catch (Stores.StoreUnavailableException exception)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database is unreachable.", exception);
        }
    }
}
