using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DynReg.Middleware.EntityFrameworkCore;

// Used only by `dotnet ef migrations add` (EF Core docs: "Design-time DbContext Creation"); the
// connection strings are never opened, migrations are generated from the model alone.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDynRegDbContext>
{
    public SqliteDynRegDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<SqliteDynRegDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlDynRegDbContext>
{
    public PostgreSqlDynRegDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PostgreSqlDynRegDbContext>().UseNpgsql("Host=design-time").Options);
}
