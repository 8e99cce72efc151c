using DynReg.Middleware.Stores;
using Microsoft.EntityFrameworkCore;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// Consents as one row per granted scope. A grant inserts the scopes not yet there; when a
/// concurrent grant inserted one of them first, the key refuses the batch whole and it is
/// retried without that one, so grants form a union and lose nothing.
/// </summary>
internal sealed class EfConsentStore<TContext>(ContextSource<TContext> contexts) : IConsentStore where TContext : DbContext
{
    public Task<IReadOnlySet<string>> GetGrantedScopesAsync(string subject, string clientId, string audience, CancellationToken cancellationToken)
        => contexts.RunAsync<IReadOnlySet<string>>(async context => (await Granted(context, subject, clientId, audience)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal), cancellationToken);

    public Task GrantAsync(string subject, string clientId, string audience, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var wanted = scopes.ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return Task.CompletedTask;
        }

        return contexts.RunAsync(async context =>
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var granted = await Granted(context, subject, clientId, audience).ToListAsync(cancellationToken);
                var missing = wanted.Except(granted, StringComparer.Ordinal).ToArray();
                if (missing.Length == 0)
                {
                    return;
                }

                var rows = missing.Select(scope => new ConsentRow { Subject = subject, ClientId = clientId, Audience = audience, Scope = scope }).ToArray();
                context.AddRange(rows);
                try
                {
                    await context.SaveChangesAsync(cancellationToken);
                    return;
                }
                catch (DbUpdateException exception) when (EfFailure.UniqueViolation(exception) is not null)
                {
                    context.ChangeTracker.Clear();
                }
            }
        }, cancellationToken);
    }

    private static IQueryable<string> Granted(TContext context, string subject, string clientId, string audience)
        => context.Set<ConsentRow>().AsNoTracking()
            .Where(c => c.Subject == subject && c.ClientId == clientId && c.Audience == audience).Select(c => c.Scope);
}
