using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// A context holding only the provider's tables, for hosts that have no <see cref="DbContext"/> of
/// their own. Migrations are provider-specific, so the package ships them on its two subclasses,
/// <see cref="SqliteDynRegDbContext"/> and <see cref="PostgreSqlDynRegDbContext"/> (EF Core docs:
/// "Migrations with Multiple Providers", one context type per provider).
/// </summary>
public class DynRegDbContext : DbContext, IDataProtectionKeyContext
{
    /// <summary>With the options a derived context passes on.</summary>
    protected DynRegDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>ASP.NET Core Data Protection's key ring, shared by every instance on the database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.UseDynamicRegistration();
}

/// <summary>The provider's tables in SQLite: the embedded default, one file, one machine.</summary>
public sealed class SqliteDynRegDbContext(DbContextOptions<SqliteDynRegDbContext> options) : DynRegDbContext(options);

/// <summary>The provider's tables in PostgreSQL: for production and for several instances sharing one database.</summary>
public sealed class PostgreSqlDynRegDbContext(DbContextOptions<PostgreSqlDynRegDbContext> options) : DynRegDbContext(options);
