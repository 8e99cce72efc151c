using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.InMemory;
using DynReg.Middleware.Testing.StoreContracts;

namespace DynReg.Middleware.Tests.Stores;

public sealed class InMemoryConnectionStoreTests : ConnectionStoreContract
{
    protected override Task<IConnectionStore> CreateStoreAsync() => Task.FromResult<IConnectionStore>(new InMemoryConnectionStore());
}
