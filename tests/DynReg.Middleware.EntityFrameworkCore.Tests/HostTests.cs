using System.Net;
using System.Text.Json;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace DynReg.Middleware.EntityFrameworkCore.Tests;

/// <summary>The stores as hosts get them, through the builder, on real databases and real HTTP (TestHost).</summary>
public sealed class HostTests
{
    [Fact]
    public async Task Sqlite_HostRestarted_RegisteredClientStillThereAndAcceptedByManagementApi()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("dynreg-ef-host-").FullName, "dynreg.db");
        var connectionString = $"Data Source={path}";
        string clientId;
        await using (var first = await StartAsync(b => b.AddSqliteStores(connectionString, o => o.ApplyMigrationsAtStartup = true)))
        {
            clientId = await RegisterAsync(first);
        }

        await using var second = await StartAsync(b => b.AddSqliteStores(connectionString, o => o.ApplyMigrationsAtStartup = true));
        var token = await second.GetManagementTokenAsync("read:clients");
        using var response = await second.Client.SendAsync(TestHost.Authorized(HttpMethod.Get, $"/api/v2/clients/{clientId}", token));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostgreSql_TwoInstancesOnOneDatabase_RegisteredOnAFoundOnBDeletedOnAGoneOnB()
    {
        var connectionString = await NewPostgresDatabaseAsync();
        await using var a = await StartAsync(b => b.AddPostgreSqlStores(connectionString, o => o.ApplyMigrationsAtStartup = true));
        await using var b = await StartAsync(b => b.AddPostgreSqlStores(connectionString, o => o.ApplyMigrationsAtStartup = true));

        var clientId = await RegisterAsync(a);
        (await b.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldNotBeNull();

        var token = await a.GetManagementTokenAsync("delete:clients");
        using var deleted = await a.Client.SendAsync(TestHost.Authorized(HttpMethod.Delete, $"/api/v2/clients/{clientId}", token));
        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await b.Clients.FindByIdAsync(clientId, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Sqlite_DatabaseUnreachable_503ThenRecoversWithoutRestart()
    {
        var folder = Directory.CreateTempSubdirectory("dynreg-ef-host-").FullName;
        var away = folder + "-away";

        // No pooling: every call opens the file, so moving its folder away makes it unreachable.
        await using var host = await StartAsync(b => b.AddSqliteStores($"Data Source={Path.Combine(folder, "dynreg.db")};Pooling=False", o => o.ApplyMigrationsAtStartup = true));
        await RegisterAsync(host);

        Directory.Move(folder, away);
        using (var refused = await host.RegisterAsync(new { client_name = "Durable", redirect_uris = new[] { "https://app.example.com/callback" } }))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("temporarily_unavailable");
        }

        Directory.Move(away, folder);
        await RegisterAsync(host);
        (await host.Clients.CountDynamicClientsAsync(CancellationToken.None)).ShouldBe(2, "the refused registration left nothing behind");
    }

    [Fact]
    public async Task PostgreSql_2000ConcurrentRegistrationsOnTwoInstances_2000DistinctClients()
    {
        var connectionString = await NewPostgresDatabaseAsync();
        await using var a = await StartAsync(b => b.AddPostgreSqlStores(connectionString, o => o.ApplyMigrationsAtStartup = true));
        await using var b = await StartAsync(b => b.AddPostgreSqlStores(connectionString, o => o.ApplyMigrationsAtStartup = true));
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Testing.StoreContracts.Race.AllAtOnceAsync(Enumerable.Range(0, 2000), async i => ids.Add(await RegisterAsync(i % 2 == 0 ? a : b)));

        ids.Distinct().Count().ShouldBe(2000);
        (await b.Clients.CountDynamicClientsAsync(CancellationToken.None)).ShouldBe(2000);
    }

    [Fact]
    public async Task SchemaBehind_MigrationsNotApplied_StartFailsNamingThePendingMigration()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("dynreg-ef-host-").FullName, "dynreg.db");

        var exception = await Should.ThrowAsync<InvalidOperationException>(() => StartAsync(b => b.AddSqliteStores($"Data Source={path}")));

        exception.Message.ShouldContain("InitialCreate");
        exception.Message.ShouldContain("ApplyMigrationsAtStartup");
    }

    [Fact]
    public async Task SigningKey_TwoInstancesWithoutAKey_ShareTheOneGeneratedInTheDatabase()
    {
        var database = await TestDatabase.SqliteAsync();
        var startup = database.Create<DatabaseStartup<SqliteDynRegDbContext>>(new FakeHostEnvironment());
        var first = database.Create<EfSigningKeySource<SqliteDynRegDbContext>>(startup);
        var second = database.Create<EfSigningKeySource<SqliteDynRegDbContext>>(startup);

        var keys = await Task.WhenAll(first.LoadOrCreateAsync(CancellationToken.None), second.LoadOrCreateAsync(CancellationToken.None));

        keys[0].ShouldStartWith("-----BEGIN PRIVATE KEY-----");
        keys[1].ShouldBe(keys[0]);
    }

    [Fact]
    public async Task InMemoryStoresInProduction_Start_LogsThatStateIsLostOnRestart()
    {
        using var logs = new FakeLoggerProvider();
        await using var host = await TestHost.StartAsync(services: s => s.AddSingleton<ILoggerProvider>(logs));

        logs.Collector.GetSnapshot().ShouldContain(r => r.Level == LogLevel.Warning && r.Message.Contains("lost when the process restarts"));
    }

    private static Task<TestHost> StartAsync(Action<DynamicRegistrationBuilder> stores) => TestHost.StartAsync(build: stores);

    private static async Task<string> RegisterAsync(TestHost host)
    {
        using var response = await host.RegisterAsync(new { client_name = "Durable", redirect_uris = new[] { "https://app.example.com/callback" } });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("client_id").GetString()!;
    }

    private static async Task<string> NewPostgresDatabaseAsync()
    {
        var name = "dynreg_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(TestPostgres.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Database = name, MaxPoolSize = 10, ConnectionIdleLifetime = 2, ConnectionPruningInterval = 1 }.ConnectionString;
    }

    private sealed class FakeHostEnvironment : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
