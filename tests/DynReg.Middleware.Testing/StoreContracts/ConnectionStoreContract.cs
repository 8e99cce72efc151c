using System.Collections.Concurrent;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Shouldly;
using Xunit;

namespace DynReg.Middleware.Testing.StoreContracts;

/// <summary>
/// What every <see cref="IConnectionStore"/> must do, including the unique, case-insensitive
/// name. Derive once per implementation and return a fresh, empty store from
/// <see cref="CreateStoreAsync"/>; each test asks for its own.
/// </summary>
public abstract class ConnectionStoreContract
{
    protected static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A new, empty store, not shared with any other test.</summary>
    protected abstract Task<IConnectionStore> CreateStoreAsync();

    /// <summary>A connection with every member set, so a store that drops one is caught.</summary>
    protected static Connection NewConnection(string? name = null, string? id = null) => new()
    {
        Id = id ?? "con_" + Guid.NewGuid().ToString("N")[..16],
        Name = name ?? "db-" + Guid.NewGuid().ToString("N"),
        Strategy = "auth0",
        IsDomainConnection = false,
        EnabledClients = ["client_first_party"],
        Options = new Dictionary<string, string> { ["passwordPolicy"] = "good", ["brute_force_protection"] = "true" },
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_700_456),
    };

    [Fact]
    public async Task Create_NewConnection_SucceedsAndIsFoundByIdAndName()
    {
        var store = await CreateStoreAsync();
        var connection = NewConnection("Username-Password-Authentication");

        var result = await store.CreateAsync(connection, None);

        result.Status.ShouldBe(StoreWriteStatus.Succeeded);
        result.Value.ShouldBeEquivalentTo(connection);
        (await store.FindByIdAsync(connection.Id, None)).ShouldBeEquivalentTo(connection);
        (await store.FindByNameAsync("Username-Password-Authentication", None)).ShouldBeEquivalentTo(connection);
    }

    [Fact]
    public async Task FindById_UnknownId_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(NewConnection(), None);

        (await store.FindByIdAsync("con_unknown", None)).ShouldBeNull();
    }

    [Fact]
    public async Task FindByName_UnknownName_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(NewConnection("Username-Password-Authentication"), None);

        (await store.FindByNameAsync("google-oauth2", None)).ShouldBeNull();
    }

    [Fact]
    public async Task FindByName_OtherCase_ReturnsConnection()
    {
        var store = await CreateStoreAsync();
        var connection = NewConnection("Username-Password-Authentication");
        await store.CreateAsync(connection, None);

        (await store.FindByNameAsync("USERNAME-password-authentication", None)).ShouldBeEquivalentTo(connection);
    }

    [Fact]
    public async Task Create_DuplicateId_ReturnsDuplicateIdAndKeepsOriginal()
    {
        var store = await CreateStoreAsync();
        var original = NewConnection();
        await store.CreateAsync(original, None);

        var result = await store.CreateAsync(NewConnection(id: original.Id) with { IsDomainConnection = true }, None);

        result.Status.ShouldBe(StoreWriteStatus.DuplicateId);
        result.Value.ShouldBeNull();
        (await store.FindByIdAsync(original.Id, None)).ShouldBeEquivalentTo(original);
        (await store.ListAsync(0, 10, None)).Total.ShouldBe(1);
    }

    [Theory]
    [InlineData("Username-Password-Authentication")]
    [InlineData("username-password-authentication")]
    [InlineData("USERNAME-PASSWORD-AUTHENTICATION")]
    public async Task Create_ExistingName_ReturnsDuplicateNameIgnoringCase(string name)
    {
        var store = await CreateStoreAsync();
        var original = NewConnection("Username-Password-Authentication");
        await store.CreateAsync(original, None);

        var duplicate = NewConnection(name);
        var result = await store.CreateAsync(duplicate, None);

        result.Status.ShouldBe(StoreWriteStatus.DuplicateName);
        result.Value.ShouldBeNull();
        (await store.FindByIdAsync(duplicate.Id, None)).ShouldBeNull();
        (await store.FindByNameAsync(name, None)).ShouldBeEquivalentTo(original);
        (await store.ListAsync(0, 10, None)).Total.ShouldBe(1);
    }

    [Fact]
    public async Task List_FivePagedByTwo_ReturnsCreationOrderZeroBasedPagesAndTotal()
    {
        var store = await CreateStoreAsync();
        var names = new[] { "e", "d", "c", "b", "a" };
        foreach (var name in names)
        {
            (await store.CreateAsync(NewConnection(name, "con_" + name), None)).Succeeded.ShouldBeTrue();
        }

        var pages = new List<StorePage<Connection>>();
        for (var page = 0; page < 4; page++)
        {
            pages.Add(await store.ListAsync(page, 2, None));
        }

        pages.Select(p => p.Total).ShouldAllBe(total => total == 5);
        pages[0].Items.Select(c => c.Name).ShouldBe(["e", "d"]);
        pages[1].Items.Select(c => c.Name).ShouldBe(["c", "b"]);
        pages[2].Items.Select(c => c.Name).ShouldBe(["a"]);
        pages[3].Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task List_EmptyStore_ReturnsNoItemsAndZeroTotal()
    {
        var store = await CreateStoreAsync();

        var page = await store.ListAsync(0, 10, None);

        page.Items.ShouldBeEmpty();
        page.Total.ShouldBe(0);
    }

    [Fact]
    public async Task Update_OneMemberChanged_OnlyThatMemberDiffers()
    {
        var store = await CreateStoreAsync();
        var connection = NewConnection();
        await store.CreateAsync(connection, None);

        var result = await store.UpdateAsync(connection.Id, c => c with { IsDomainConnection = true }, None);

        result.Status.ShouldBe(StoreWriteStatus.Succeeded);
        var expected = connection with { IsDomainConnection = true };
        result.Value.ShouldBeEquivalentTo(expected);
        (await store.FindByIdAsync(connection.Id, None)).ShouldBeEquivalentTo(expected);
        (await store.FindByNameAsync(connection.Name, None)).ShouldBeEquivalentTo(expected);
    }

    [Fact]
    public async Task Update_DelegateChangesId_IdIsKept()
    {
        var store = await CreateStoreAsync();
        var connection = NewConnection();
        await store.CreateAsync(connection, None);

        var result = await store.UpdateAsync(connection.Id, c => c with { Id = "con_moved", Strategy = "google-oauth2" }, None);

        result.Status.ShouldBe(StoreWriteStatus.Succeeded);
        result.Value!.Id.ShouldBe(connection.Id);
        (await store.FindByIdAsync(connection.Id, None)).ShouldBeEquivalentTo(connection with { Strategy = "google-oauth2" });
        (await store.FindByIdAsync("con_moved", None)).ShouldBeNull();
        (await store.FindByNameAsync(connection.Name, None))!.Id.ShouldBe(connection.Id);
    }

    [Fact]
    public async Task Update_UnknownId_ReturnsNotFoundAndCreatesNothing()
    {
        var store = await CreateStoreAsync();

        var result = await store.UpdateAsync("con_unknown", c => c with { IsDomainConnection = true }, None);

        result.Status.ShouldBe(StoreWriteStatus.NotFound);
        result.Value.ShouldBeNull();
        (await store.ListAsync(0, 10, None)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task Update_RenameOntoExistingName_ReturnsDuplicateNameAndChangesNothing()
    {
        var store = await CreateStoreAsync();
        var taken = NewConnection("Username-Password-Authentication");
        var other = NewConnection("other-db");
        await store.CreateAsync(taken, None);
        await store.CreateAsync(other, None);

        var result = await store.UpdateAsync(other.Id, c => c with { Name = "username-password-AUTHENTICATION", IsDomainConnection = true }, None);

        result.Status.ShouldBe(StoreWriteStatus.DuplicateName);
        result.Value.ShouldBeNull();
        (await store.FindByIdAsync(other.Id, None)).ShouldBeEquivalentTo(other);
        (await store.FindByIdAsync(taken.Id, None)).ShouldBeEquivalentTo(taken);
        (await store.FindByNameAsync("other-db", None)).ShouldBeEquivalentTo(other);
        (await store.FindByNameAsync("Username-Password-Authentication", None)).ShouldBeEquivalentTo(taken);
    }

    [Fact]
    public async Task Update_Rename_FreesOldNameAndTakesNewOne()
    {
        var store = await CreateStoreAsync();
        var connection = NewConnection("old-name");
        await store.CreateAsync(connection, None);

        var result = await store.UpdateAsync(connection.Id, c => c with { Name = "new-name" }, None);

        result.Status.ShouldBe(StoreWriteStatus.Succeeded);
        (await store.FindByNameAsync("old-name", None)).ShouldBeNull();
        (await store.FindByNameAsync("NEW-NAME", None)).ShouldBeEquivalentTo(connection with { Name = "new-name" });
        (await store.CreateAsync(NewConnection("old-name"), None)).Status.ShouldBe(StoreWriteStatus.Succeeded);
        (await store.CreateAsync(NewConnection("new-name"), None)).Status.ShouldBe(StoreWriteStatus.DuplicateName);
    }

    [Fact]
    public async Task Update_RenameToOtherCaseOfOwnName_SucceedsAndKeepsItFindable()
    {
        var store = await CreateStoreAsync();
        var connection = NewConnection("my-db");
        await store.CreateAsync(connection, None);

        var result = await store.UpdateAsync(connection.Id, c => c with { Name = "My-DB" }, None);

        result.Status.ShouldBe(StoreWriteStatus.Succeeded);
        (await store.FindByNameAsync("my-db", None))!.Name.ShouldBe("My-DB");
        (await store.DeleteAsync(connection.Id, None)).ShouldBeTrue();
        (await store.FindByNameAsync("my-db", None)).ShouldBeNull();
        (await store.CreateAsync(NewConnection("my-db"), None)).Status.ShouldBe(StoreWriteStatus.Succeeded);
    }

    [Fact]
    public async Task Delete_ExistingConnection_ReturnsTrueThenFalseAndFreesName()
    {
        var store = await CreateStoreAsync();
        var connection = NewConnection("Username-Password-Authentication");
        await store.CreateAsync(connection, None);

        (await store.DeleteAsync(connection.Id, None)).ShouldBeTrue();
        (await store.DeleteAsync(connection.Id, None)).ShouldBeFalse();

        (await store.FindByIdAsync(connection.Id, None)).ShouldBeNull();
        (await store.FindByNameAsync(connection.Name, None)).ShouldBeNull();
        (await store.ListAsync(0, 10, None)).Total.ShouldBe(0);
        (await store.CreateAsync(NewConnection("Username-Password-Authentication"), None)).Status.ShouldBe(StoreWriteStatus.Succeeded);
    }

    [Fact]
    public async Task Delete_UnknownId_ReturnsFalse()
    {
        var store = await CreateStoreAsync();

        (await store.DeleteAsync("con_unknown", None)).ShouldBeFalse();
    }

    [Fact]
    public async Task Create_1000InParallel_AllListedExactlyOnce()
    {
        var store = await CreateStoreAsync();
        var connections = Enumerable.Range(0, 1000).Select(i => NewConnection($"db-{i:D4}")).ToArray();
        var statuses = new ConcurrentBag<StoreWriteStatus>();

        await Race.AllAtOnceAsync(connections, async connection => statuses.Add((await store.CreateAsync(connection, None)).Status));

        statuses.Count.ShouldBe(1000);
        statuses.ShouldAllBe(s => s == StoreWriteStatus.Succeeded);
        var listed = await ListAllAsync(store);
        listed.Count.ShouldBe(1000);
        listed.Select(c => c.Id).ShouldBe(connections.Select(c => c.Id), ignoreOrder: true);
        (await store.ListAsync(0, 1, None)).Total.ShouldBe(1000);
    }

    [Fact]
    public async Task Create_SameId1000TimesInParallel_ExactlyOneSucceeds()
    {
        var store = await CreateStoreAsync();
        var results = new ConcurrentBag<(string Name, StoreWriteStatus Status)>();

        await Race.AllAtOnceAsync(Enumerable.Range(0, 1000), async i =>
            results.Add(($"db-{i}", (await store.CreateAsync(NewConnection($"db-{i}", "con_contested"), None)).Status)));

        var winners = results.Where(r => r.Status == StoreWriteStatus.Succeeded).ToArray();
        winners.Length.ShouldBe(1);
        results.Count(r => r.Status == StoreWriteStatus.DuplicateId).ShouldBe(999);
        (await store.FindByIdAsync("con_contested", None))!.Name.ShouldBe(winners[0].Name);
        (await store.FindByNameAsync(winners[0].Name, None))!.Id.ShouldBe("con_contested");
        foreach (var (name, _) in results.Where(r => r.Status != StoreWriteStatus.Succeeded).Take(50))
        {
            (await store.FindByNameAsync(name, None)).ShouldBeNull($"{name} lost the race for the id; its name must stay free");
        }

        (await store.ListAsync(0, 10, None)).Total.ShouldBe(1);
    }

    [Fact]
    public async Task Create_SameName1000TimesInParallel_ExactlyOneSucceeds()
    {
        var store = await CreateStoreAsync();
        var results = new ConcurrentBag<(string Id, StoreWriteStatus Status)>();

        // Alternate the case: the name is unique ignoring case.
        await Race.AllAtOnceAsync(Enumerable.Range(0, 1000), async i =>
        {
            var connection = NewConnection(i % 2 == 0 ? "contested-db" : "CONTESTED-DB");
            results.Add((connection.Id, (await store.CreateAsync(connection, None)).Status));
        });

        var winners = results.Where(r => r.Status == StoreWriteStatus.Succeeded).ToArray();
        winners.Length.ShouldBe(1);
        results.Count(r => r.Status == StoreWriteStatus.DuplicateName).ShouldBe(999);
        (await store.FindByNameAsync("contested-db", None))!.Id.ShouldBe(winners[0].Id);
        (await store.ListAsync(0, 10, None)).Total.ShouldBe(1);
    }

    [Fact]
    public async Task Update_200ParallelChanges_NoneLost()
    {
        var store = await CreateStoreAsync();
        var connection = NewConnection() with { EnabledClients = [] };
        await store.CreateAsync(connection, None);
        var clientIds = Enumerable.Range(0, 200).Select(i => $"client_{i:D3}").ToArray();
        var statuses = new ConcurrentBag<StoreWriteStatus>();

        await Race.AllAtOnceAsync(clientIds, async clientId => statuses.Add(
            (await store.UpdateAsync(connection.Id, c => Race.Widen(c with { EnabledClients = [.. c.EnabledClients, clientId] }), None)).Status));

        statuses.ShouldAllBe(s => s == StoreWriteStatus.Succeeded);
        var stored = await store.FindByIdAsync(connection.Id, None);
        stored!.EnabledClients.ShouldBe(clientIds, ignoreOrder: true);
        stored.ShouldBeEquivalentTo(connection with { EnabledClients = stored.EnabledClients });
    }

    [Fact]
    public async Task Update_100ParallelRenamesOntoOneName_ExactlyOneSucceeds()
    {
        var store = await CreateStoreAsync();
        var connections = Enumerable.Range(0, 100).Select(i => NewConnection($"db-{i:D3}")).ToArray();
        foreach (var connection in connections)
        {
            await store.CreateAsync(connection, None);
        }

        var results = new ConcurrentBag<(Connection Connection, StoreWriteStatus Status)>();
        await Race.AllAtOnceAsync(connections, async connection =>
            results.Add((connection, (await store.UpdateAsync(connection.Id, c => Race.Widen(c with { Name = "target" }), None)).Status)));

        var winners = results.Where(r => r.Status == StoreWriteStatus.Succeeded).ToArray();
        winners.Length.ShouldBe(1);
        results.Count(r => r.Status == StoreWriteStatus.DuplicateName).ShouldBe(99);
        (await store.FindByNameAsync("target", None))!.Id.ShouldBe(winners[0].Connection.Id);
        (await store.FindByNameAsync(winners[0].Connection.Name, None)).ShouldBeNull();
        foreach (var (loser, _) in results.Where(r => r.Status != StoreWriteStatus.Succeeded))
        {
            (await store.FindByIdAsync(loser.Id, None)).ShouldBeEquivalentTo(loser);
            (await store.FindByNameAsync(loser.Name, None)).ShouldBeEquivalentTo(loser);
        }
    }

    [Fact]
    public async Task Update_OtherUpdateBetweenReadAndWrite_BothKept()
    {
        var store = await CreateStoreAsync();
        var connection = NewConnection() with { EnabledClients = [] };
        await store.CreateAsync(connection, None);
        var inner = Race.WriteInside<Connection, StoreWriteResult<Connection>>(
            c => c with { IsDomainConnection = true },
            () => store.UpdateAsync(connection.Id, c => c with { EnabledClients = ["client_inner"] }, None));

        var outer = await store.UpdateAsync(connection.Id, inner.Change, None);

        outer.Status.ShouldBe(StoreWriteStatus.Succeeded);
        (await inner.OtherWrite).Status.ShouldBe(StoreWriteStatus.Succeeded);
        (await store.FindByIdAsync(connection.Id, None)).ShouldBeEquivalentTo(
            connection with { IsDomainConnection = true, EnabledClients = ["client_inner"] });
    }

    [Fact]
    public async Task Update_NameTakenBetweenReadAndWrite_OnlyOneHoldsIt()
    {
        var store = await CreateStoreAsync();
        var renamed = NewConnection("before");
        await store.CreateAsync(renamed, None);
        var newcomer = NewConnection("wanted");
        var inner = Race.WriteInside<Connection, StoreWriteResult<Connection>>(c => c with { Name = "wanted" }, () => store.CreateAsync(newcomer, None));

        var rename = await store.UpdateAsync(renamed.Id, inner.Change, None);
        var create = await inner.OtherWrite;

        // Either order is fine; both winning is not.
        new[] { rename.Status, create.Status }.Count(s => s == StoreWriteStatus.Succeeded).ShouldBe(1);
        new[] { rename.Status, create.Status }.Count(s => s == StoreWriteStatus.DuplicateName).ShouldBe(1);
        var holder = rename.Succeeded ? renamed.Id : newcomer.Id;
        (await store.FindByNameAsync("wanted", None))!.Id.ShouldBe(holder);
        if (rename.Succeeded)
        {
            (await store.FindByIdAsync(newcomer.Id, None)).ShouldBeNull();
            (await store.FindByNameAsync("before", None)).ShouldBeNull();
        }
        else
        {
            (await store.FindByIdAsync(renamed.Id, None)).ShouldBeEquivalentTo(renamed);
            (await store.FindByNameAsync("before", None))!.Id.ShouldBe(renamed.Id);
        }
    }

    [Fact]
    public async Task Update_ConnectionDeletedBetweenReadAndWrite_StaysDeletedAndNamesStayFree()
    {
        var store = await CreateStoreAsync();
        var connection = NewConnection("doomed");
        await store.CreateAsync(connection, None);
        var inner = Race.WriteInside<Connection, bool>(
            c => c with { Name = "renamed", IsDomainConnection = true },
            () => store.DeleteAsync(connection.Id, None));

        var update = await store.UpdateAsync(connection.Id, inner.Change, None);

        (await inner.OtherWrite).ShouldBeTrue();
        update.Status.ShouldBeOneOf(StoreWriteStatus.Succeeded, StoreWriteStatus.NotFound);
        (await store.FindByIdAsync(connection.Id, None)).ShouldBeNull("an update must not bring a deleted connection back");
        (await store.FindByNameAsync("doomed", None)).ShouldBeNull();
        (await store.FindByNameAsync("renamed", None)).ShouldBeNull();
        (await store.ListAsync(0, 10, None)).Total.ShouldBe(0);
        (await store.CreateAsync(NewConnection("doomed"), None)).Status.ShouldBe(StoreWriteStatus.Succeeded);
        (await store.CreateAsync(NewConnection("renamed"), None)).Status.ShouldBe(StoreWriteStatus.Succeeded);
    }

    [Fact]
    public async Task UpdateAndDelete_InParallel_LeaveConsistentState()
    {
        var store = await CreateStoreAsync();
        var connections = Enumerable.Range(0, 200).Select(i => NewConnection($"db-{i:D3}")).ToArray();
        foreach (var connection in connections)
        {
            await store.CreateAsync(connection, None);
        }

        // Every connection is promoted and renamed; every even one is deleted at the same time.
        var work = Enumerable.Range(0, connections.Length).SelectMany(i => i % 2 == 0 ? new[] { (Index: i, Delete: false), (Index: i, Delete: true) } : [(Index: i, Delete: false)]);
        var updateStatuses = new ConcurrentBag<StoreWriteStatus>();
        var deleteResults = new ConcurrentBag<bool>();
        await Race.AllAtOnceAsync(work, async item =>
        {
            var id = connections[item.Index].Id;
            if (item.Delete)
            {
                deleteResults.Add(await store.DeleteAsync(id, None));
            }
            else
            {
                updateStatuses.Add((await store.UpdateAsync(id, c => Race.Widen(c with { Name = $"renamed-{item.Index:D3}", IsDomainConnection = true }), None)).Status);
            }
        });

        deleteResults.Count.ShouldBe(100);
        deleteResults.ShouldAllBe(deleted => deleted);
        updateStatuses.ShouldAllBe(s => s == StoreWriteStatus.Succeeded || s == StoreWriteStatus.NotFound);
        for (var i = 0; i < connections.Length; i++)
        {
            var byId = await store.FindByIdAsync(connections[i].Id, None);
            var byOldName = await store.FindByNameAsync(connections[i].Name, None);
            var byNewName = await store.FindByNameAsync($"renamed-{i:D3}", None);
            byOldName.ShouldBeNull();
            if (i % 2 == 0)
            {
                byId.ShouldBeNull($"connection {i} was deleted; an update must not bring it back");
                byNewName.ShouldBeNull();
            }
            else
            {
                var expected = connections[i] with { Name = $"renamed-{i:D3}", IsDomainConnection = true };
                byId.ShouldBeEquivalentTo(expected);
                byNewName.ShouldBeEquivalentTo(expected);
            }
        }

        (await ListAllAsync(store)).Count.ShouldBe(100);
    }

    /// <summary>Every connection, read page by page (100 per page, Auth0's largest).</summary>
    protected static async Task<List<Connection>> ListAllAsync(IConnectionStore store)
    {
        var all = new List<Connection>();
        for (var page = 0; ; page++)
        {
            var items = (await store.ListAsync(page, 100, None)).Items;
            if (items.Count == 0)
            {
                return all;
            }

            all.AddRange(items);
        }
    }
}
