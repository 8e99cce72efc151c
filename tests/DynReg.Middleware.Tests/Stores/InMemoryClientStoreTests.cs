using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.InMemory;
using DynReg.Middleware.Testing.StoreContracts;

namespace DynReg.Middleware.Tests.Stores;

public sealed class InMemoryClientStoreTests : ClientStoreContract
{
    protected override Task<IClientStore> CreateStoreAsync() => Task.FromResult<IClientStore>(new InMemoryClientStore());
}
