using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Stores.InMemory;

/// <summary>Tenant settings held in memory, starting from the host's initial values.</summary>
public sealed class InMemoryTenantSettingsStore(IOptions<DynamicRegistrationOptions> options) : ITenantSettingsStore
{
    private TenantSettings _settings = options.Value.InitialTenantSettings.ToTenantSettings();

    /// <inheritdoc />
    public Task<TenantSettings> GetAsync(CancellationToken cancellationToken) => Task.FromResult(Volatile.Read(ref _settings));

    /// <inheritdoc />
    public Task<TenantSettings> UpdateAsync(Func<TenantSettings, TenantSettings> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        while (true)
        {
            var current = Volatile.Read(ref _settings);
            var updated = update(current);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _settings, updated, current), current))
            {
                return Task.FromResult(updated);
            }
        }
    }
}
