using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Stores;

/// <summary>
/// The tenant's settings. A store that holds none yet answers with the initial values the
/// host set in <see cref="DynamicRegistrationOptions.InitialTenantSettings"/>.
/// </summary>
public interface ITenantSettingsStore
{
    /// <summary>The current settings (the host's initial values until something changed them).</summary>
    Task<TenantSettings> GetAsync(CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="update"/> atomically and returns the stored result; the delegate must be pure.</summary>
    Task<TenantSettings> UpdateAsync(Func<TenantSettings, TenantSettings> update, CancellationToken cancellationToken);
}
