using DynReg.Middleware.Stores;
using DynReg.Middleware.Testing.StoreContracts;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.EntityFrameworkCore.Tests;

// The shared contracts, once per provider; each test gets a database of its own.

public sealed class SqliteClientStoreTests : ClientStoreContract
{
    protected override async Task<IClientStore> CreateStoreAsync()
        => (await TestDatabase.SqliteAsync()).Create<EfClientStore<SqliteDynRegDbContext>>();
}

public sealed class PostgreSqlClientStoreTests : ClientStoreContract
{
    protected override async Task<IClientStore> CreateStoreAsync()
        => (await TestDatabase.PostgreSqlAsync()).Create<EfClientStore<PostgreSqlDynRegDbContext>>();
}

public sealed class SqliteConnectionStoreTests : ConnectionStoreContract
{
    protected override async Task<IConnectionStore> CreateStoreAsync()
        => (await TestDatabase.SqliteAsync()).Create<EfConnectionStore<SqliteDynRegDbContext>>();
}

public sealed class PostgreSqlConnectionStoreTests : ConnectionStoreContract
{
    protected override async Task<IConnectionStore> CreateStoreAsync()
        => (await TestDatabase.PostgreSqlAsync()).Create<EfConnectionStore<PostgreSqlDynRegDbContext>>();
}

public sealed class SqliteTenantSettingsStoreTests : TenantSettingsStoreContract
{
    protected override async Task<ITenantSettingsStore> CreateStoreAsync(DynamicRegistrationOptions options)
        => (await TestDatabase.SqliteAsync()).Create<EfTenantSettingsStore<SqliteDynRegDbContext>>(Options.Create(options));
}

public sealed class PostgreSqlTenantSettingsStoreTests : TenantSettingsStoreContract
{
    protected override async Task<ITenantSettingsStore> CreateStoreAsync(DynamicRegistrationOptions options)
        => (await TestDatabase.PostgreSqlAsync()).Create<EfTenantSettingsStore<PostgreSqlDynRegDbContext>>(Options.Create(options));
}
