using System.Text.Json;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// The tenant settings as one row. Until the first change there is none and the host's initial
/// values answer; the first change is an INSERT (the key refuses a second one), later ones are
/// conditional UPDATEs, each retried when another write came first.
/// </summary>
internal sealed class EfTenantSettingsStore<TContext>(ContextSource<TContext> contexts, IOptions<DynamicRegistrationOptions> options)
    : ITenantSettingsStore where TContext : DbContext
{
    private readonly TenantSettings _initial = Initial(options.Value.InitialTenantSettings);

    public Task<TenantSettings> GetAsync(CancellationToken cancellationToken)
        => contexts.RunAsync(async context => Deserialize(await context.Set<TenantSettingsRow>().AsNoTracking()
            .Where(s => s.Id == TenantSettingsRow.SingleId).Select(s => s.Json).FirstOrDefaultAsync(cancellationToken)) ?? _initial, cancellationToken);

    public Task<TenantSettings> UpdateAsync(Func<TenantSettings, TenantSettings> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        return contexts.RunAsync(async context =>
        {
            var rows = context.Set<TenantSettingsRow>();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var current = await rows.AsNoTracking().Where(s => s.Id == TenantSettingsRow.SingleId)
                    .Select(s => new { s.Json, s.Version }).FirstOrDefaultAsync(cancellationToken);
                var updated = update(Deserialize(current?.Json) ?? _initial);
                var json = JsonSerializer.Serialize(updated, EfJsonContext.Default.TenantSettings);
                var version = Guid.NewGuid();
                if (current is null)
                {
                    var row = context.Add(new TenantSettingsRow { Id = TenantSettingsRow.SingleId, Json = json, Version = version });
                    try
                    {
                        await context.SaveChangesAsync(cancellationToken);
                        return updated;
                    }
                    catch (DbUpdateException exception) when (EfFailure.UniqueViolation(exception) is not null)
                    {
                        // Another first change won; start again from it.
                        row.State = EntityState.Detached;
                        continue;
                    }
                }

                var written = await rows.Where(s => s.Id == TenantSettingsRow.SingleId && s.Version == current.Version).ExecuteUpdateAsync(
                    set => set.SetProperty(s => s.Json, json).SetProperty(s => s.Version, version), cancellationToken);
                if (written == 1)
                {
                    return updated;
                }
            }
        }, cancellationToken);
    }

    private static TenantSettings Initial(InitialTenantSettingsOptions initial) => new()
    {
        Flags = new TenantFlags { EnableDynamicClientRegistration = initial.EnableDynamicClientRegistration },
        DynamicClientRegistrationSecurityMode = initial.SecurityMode,
        FriendlyName = initial.FriendlyName,
    };

    private static TenantSettings? Deserialize(string? json) => json is null ? null : JsonSerializer.Deserialize(json, EfJsonContext.Default.TenantSettings);
}
