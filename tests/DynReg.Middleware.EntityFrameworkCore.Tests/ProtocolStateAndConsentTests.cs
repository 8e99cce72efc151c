using System.Collections.Concurrent;
using System.Text;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Testing.StoreContracts;
using Microsoft.EntityFrameworkCore;

namespace DynReg.Middleware.EntityFrameworkCore.Tests;

/// <summary>Protocol state, its cleanup, and consents, on one provider; two stores on one database stand for two instances.</summary>
public abstract class ProtocolStateAndConsentTests<TContext> where TContext : DbContext
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task Take_500ConcurrentTakesOnTwoInstances_ExactlyOneGetsTheValue()
    {
        var database = await CreateDatabaseAsync();
        var a = database.Create<EfProtocolStateStore<TContext>>();
        var b = database.Create<EfProtocolStateStore<TContext>>();
        await a.SetAsync("code:1", Encoding.UTF8.GetBytes("the code"), TimeSpan.FromMinutes(5), None);
        var winners = new ConcurrentBag<byte[]>();

        await Race.AllAtOnceAsync(Enumerable.Range(0, 500), async i =>
        {
            if (await (i % 2 == 0 ? a : b).TakeAsync("code:1", None) is { } value)
            {
                winners.Add(value);
            }
        });

        winners.Count.ShouldBe(1);
        Encoding.UTF8.GetString(winners.Single()).ShouldBe("the code");
        (await b.GetAsync("code:1", None)).ShouldBeNull();
    }

    [Fact]
    public async Task GetAndTake_AfterLifetime_AnswerNothing()
    {
        var database = await CreateDatabaseAsync();
        var store = database.Create<EfProtocolStateStore<TContext>>();
        await store.SetAsync("tx", new byte[] { 1, 2, 3 }, TimeSpan.FromMinutes(10), None);
        (await store.GetAsync("tx", None)).ShouldBe([1, 2, 3]);

        database.Time.Advance(TimeSpan.FromMinutes(10));

        (await store.GetAsync("tx", None)).ShouldBeNull();
        (await store.TakeAsync("tx", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Set_SameKeyAgain_LastValueAndLifetimeWin()
    {
        var database = await CreateDatabaseAsync();
        var store = database.Create<EfProtocolStateStore<TContext>>();
        await store.SetAsync("family", new byte[] { 1 }, TimeSpan.FromMinutes(1), None);
        await store.SetAsync("family", new byte[] { 2 }, TimeSpan.FromMinutes(30), None);

        database.Time.Advance(TimeSpan.FromMinutes(5));

        (await store.GetAsync("family", None)).ShouldBe([2]);
        await store.RemoveAsync("family", None);
        (await store.TakeAsync("family", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Cleanup_DeletesExpiredRowsOnly()
    {
        var database = await CreateDatabaseAsync();
        var store = database.Create<EfProtocolStateStore<TContext>>();
        await store.SetAsync("short", new byte[] { 1 }, TimeSpan.FromMinutes(1), None);
        await store.SetAsync("long", new byte[] { 2 }, TimeSpan.FromHours(1), None);
        database.Time.Advance(TimeSpan.FromMinutes(2));

        var deleted = await database.Create<ExpiredStateCleanup<TContext>>().RunOnceAsync(None);

        deleted.ShouldBe(1);
        (await store.GetAsync("long", None)).ShouldBe([2]);
        (await database.Contexts<TContext>().RunAsync(c => c.Set<ProtocolStateRow>().CountAsync(), None)).ShouldBe(1);
    }

    [Fact]
    public async Task Grant_100ConcurrentOverlappingGrantsOnTwoInstances_UnionKept()
    {
        var database = await CreateDatabaseAsync();
        var a = database.Create<EfConsentStore<TContext>>();
        var b = database.Create<EfConsentStore<TContext>>();

        await Race.AllAtOnceAsync(Enumerable.Range(0, 100), i =>
            (i % 2 == 0 ? a : b).GrantAsync("user-1", "client-1", "https://api.example/", ["openid", $"scope:{i}"], None));

        var granted = await b.GetGrantedScopesAsync("user-1", "client-1", "https://api.example/", None);
        granted.Count.ShouldBe(101);
        granted.ShouldContain("openid");
        (await a.GetGrantedScopesAsync("user-1", "client-1", "https://other.example/", None)).ShouldBeEmpty();
    }
}

public sealed class SqliteProtocolStateAndConsentTests : ProtocolStateAndConsentTests<SqliteDynRegDbContext>
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.SqliteAsync();
}

public sealed class PostgreSqlProtocolStateAndConsentTests : ProtocolStateAndConsentTests<PostgreSqlDynRegDbContext>
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}
