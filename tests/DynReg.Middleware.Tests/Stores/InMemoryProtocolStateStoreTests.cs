using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.InMemory;
using DynReg.Middleware.Testing.StoreContracts;

namespace DynReg.Middleware.Tests.Stores;

public sealed class InMemoryProtocolStateStoreTests : ProtocolStateContract
{
    protected override Task<IProtocolStateStore> CreateStoreAsync() => Task.FromResult<IProtocolStateStore>(new InMemoryProtocolStateStore(TimeProvider.System));
}
