using System.Net;
using System.Net.Sockets;
using DynReg.Middleware.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DynReg.Middleware.EntityFrameworkCore.Tests;

/// <summary>An unreachable database is an outage (the endpoints answer 503), not a bug.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task PostgreSqlStore_ServerNotListening_ThrowsStoreUnavailable()
    {
        // A loopback port that was free a moment ago: nothing answers there.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var store = Store<PostgreSqlDynRegDbContext>(o => o.UseNpgsql($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=5"));

        var exception = await Should.ThrowAsync<StoreUnavailableException>(() => store.FindByIdAsync("client", CancellationToken.None));

        new EfFailureClassifier().IsUnavailable(exception.InnerException!).ShouldBeTrue();
    }

    [Fact]
    public async Task SqliteStore_FolderMissing_ThrowsStoreUnavailable()
    {
        var path = Path.Combine(Path.GetTempPath(), "dynreg-missing-" + Guid.NewGuid().ToString("N"), "dynreg.db");
        var store = Store<SqliteDynRegDbContext>(o => o.UseSqlite($"Data Source={path}"));

        await Should.ThrowAsync<StoreUnavailableException>(() => store.FindByIdAsync("client", CancellationToken.None));
    }

    [Fact]
    public void Classifier_OtherExceptions_AreNotOutages()
    {
        var classifier = new EfFailureClassifier();

        classifier.IsUnavailable(new InvalidOperationException("a bug")).ShouldBeFalse();
        classifier.IsUnavailable(new DbUpdateException("wrapped", new TimeoutException())).ShouldBeTrue();
    }

    private static EfClientStore<TContext> Store<TContext>(Action<DbContextOptionsBuilder> configure) where TContext : DbContext
    {
        var services = new ServiceCollection().AddDbContextFactory<TContext>(configure).BuildServiceProvider();
        return new EfClientStore<TContext>(new ContextSource<TContext>(services));
    }
}
