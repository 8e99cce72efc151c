using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.InMemory;
using DynReg.Middleware.Testing.StoreContracts;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Tests.Stores;

public sealed class InMemoryTenantSettingsStoreTests : TenantSettingsStoreContract
{
    protected override Task<ITenantSettingsStore> CreateStoreAsync(DynamicRegistrationOptions options)
        => Task.FromResult<ITenantSettingsStore>(new InMemoryTenantSettingsStore(Options.Create(options)));
}
