using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace DynReg.Middleware.EntityFrameworkCore.Tests;

/// <summary>A database of one test's own, with the schema its migrations make, and a way to build stores on it.</summary>
public sealed class TestDatabase
{
    private readonly ServiceProvider _services;

    private TestDatabase(ServiceProvider services, string description)
    {
        _services = services;
        Description = description;
    }

    public string Description { get; }

    public FakeTimeProvider Time => _services.GetRequiredService<FakeTimeProvider>();

    internal ContextSource<TContext> Contexts<TContext>() where TContext : DbContext => _services.GetRequiredService<ContextSource<TContext>>();

    internal T Create<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    internal T Create<T>(params object[] arguments) => ActivatorUtilities.CreateInstance<T>(_services, arguments);

    /// <summary>A fresh SQLite file in a folder no other test uses.</summary>
    public static Task<TestDatabase> SqliteAsync()
    {
        var folder = Directory.CreateTempSubdirectory("dynreg-ef-test-");
        var path = Path.Combine(folder.FullName, "dynreg.db");
        return CreateAsync<SqliteDynRegDbContext>(o => o.UseSqlite($"Data Source={path}"), path);
    }

    /// <summary>A fresh database on the test PostgreSQL server.</summary>
    public static async Task<TestDatabase> PostgreSqlAsync()
    {
        var server = TestPostgres.ConnectionString;
        var name = "dynreg_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) 
        {
            Database = name,
            Timeout = 60,
            CommandTimeout = 60,

            // A pool per test database: small, and closed soon after the test, so the server's
            // connection limit holds however many tests ran before.
            MaxPoolSize = 10,
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
        return await CreateAsync<PostgreSqlDynRegDbContext>(o => o.UseNpgsql(connectionString), name);
    }

    private static async Task<TestDatabase> CreateAsync<TContext>(Action<DbContextOptionsBuilder> configure, string description) where TContext : DbContext
    {
        var services = new ServiceCollection()
            .AddSingleton(new FakeTimeProvider(DateTimeOffset.UnixEpoch + TimeSpan.FromDays(20_000)))
            .AddSingleton<TimeProvider>(sp => sp.GetRequiredService<FakeTimeProvider>())
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddDbContextFactory<TContext>(configure)
            .AddSingleton<ContextSource<TContext>>()
            .AddSingleton(Options.Create(new EntityFrameworkCoreStoreOptions()))
            .BuildServiceProvider();
        await using var context = await services.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContextAsync();
        if (context.Database.GetMigrations().Any())
        {
            await context.Database.MigrateAsync();
        }
        else
        {
            await context.Database.EnsureCreatedAsync();
        }

        if (context.Database.IsSqlite())
        {
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        return new TestDatabase(services, description);
    }
}

/// <summary>The PostgreSQL server of the test run: test.sh starts one and sets <c>DYNREG_TEST_POSTGRES</c>.</summary>
public static class TestPostgres
{
    public const string Variable = "DYNREG_TEST_POSTGRES";

    public static string ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"These tests need a real PostgreSQL: set {Variable} to a connection string (./test.sh starts a server and sets it).");
}
