using System.Collections.Concurrent;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Shouldly;
using Xunit;

namespace DynReg.Middleware.Testing.StoreContracts;

/// <summary>
/// What every <see cref="IClientStore"/> must do. Derive once per implementation and return
/// a fresh, empty store from <see cref="CreateStoreAsync"/>; each test asks for its own.
/// </summary>
public abstract class ClientStoreContract
{
    protected static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A new, empty store, not shared with any other test.</summary>
    protected abstract Task<IClientStore> CreateStoreAsync();

    /// <summary>A client with every member set, so a store that drops one is caught.</summary>
    protected static Client NewClient(string? clientId = null, string clientName = "Contract Client") => new()
    {
        ClientId = clientId ?? "client_" + Guid.NewGuid().ToString("N"),
        ClientSecretHash = "hash-" + Guid.NewGuid().ToString("N"),
        ClientName = clientName,
        RedirectUris = ["https://app.example.com/callback", "https://app.example.com/cb?x=1"],
        TokenEndpointAuthMethod = "client_secret_basic",
        GrantTypes = ["authorization_code", "implicit"],
        ResponseTypes = ["code", "id_token token"],
        ApplicationType = "native",
        ClientUri = "https://app.example.com/",
        LogoUri = "https://app.example.com/logo.png",
        PolicyUri = "https://app.example.com/policy",
        TosUri = "https://app.example.com/tos",
        Contacts = ["dev@example.com"],
        IsFirstParty = true,
        IsDynamicallyRegistered = true,
        RegistrationSecurityMode = DynamicClientRegistrationSecurityMode.Strict,
        Scope = "openid read:appointments",
        IsDisabled = true,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_700_456),
    };

    [Fact]
    public async Task Create_NewClient_SucceedsAndIsFoundById()
    {
        var store = await CreateStoreAsync();
        var client = NewClient();

        var result = await store.CreateAsync(client, None);

        result.Status.ShouldBe(StoreWriteStatus.Succeeded);
        result.Value.ShouldBeEquivalentTo(client);
        (await store.FindByIdAsync(client.ClientId, None)).ShouldBeEquivalentTo(client);
    }

    [Fact]
    public async Task CountDynamicClients_MixedCreatesAndDeletes_CountsOnlyDynamicOnesStillThere()
    {
        var store = await CreateStoreAsync();
        var dynamic = Enumerable.Range(0, 3).Select(_ => NewClient()).ToArray();
        foreach (var client in dynamic)
        {
            await store.CreateAsync(client, None);
        }

        await store.CreateAsync(NewClient() with { IsDynamicallyRegistered = false }, None);
        (await store.CreateAsync(dynamic[0], None)).Status.ShouldBe(StoreWriteStatus.DuplicateId);
        (await store.CountDynamicClientsAsync(None)).ShouldBe(3);

        await store.DeleteAsync(dynamic[1].ClientId, None);
        await store.DeleteAsync(dynamic[1].ClientId, None);
        await store.UpdateAsync(dynamic[2].ClientId, c => c with { ClientName = "renamed" }, None);

        (await store.CountDynamicClientsAsync(None)).ShouldBe(2);
    }

    [Fact]
    public async Task CountDynamicClients_200CreatedAndHalfDeletedInParallel_Exact()
    {
        var store = await CreateStoreAsync();
        var clients = Enumerable.Range(0, 200).Select(_ => NewClient()).ToArray();
        await Race.AllAtOnceAsync(clients, async c => await store.CreateAsync(c, None));
        await Race.AllAtOnceAsync(clients.Where((_, i) => i % 2 == 0), async c => await store.DeleteAsync(c.ClientId, None));

        (await store.CountDynamicClientsAsync(None)).ShouldBe(100);
    }

    [Fact]
    public async Task FindById_UnknownId_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(NewClient(), None);

        (await store.FindByIdAsync("client_unknown", None)).ShouldBeNull();
    }

    [Fact]
    public async Task FindById_IdInOtherCase_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        var client = NewClient("client_CaseMatters");
        await store.CreateAsync(client, None);

        (await store.FindByIdAsync("client_casematters", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Create_DuplicateId_ReturnsDuplicateIdAndKeepsOriginal()
    {
        var store = await CreateStoreAsync();
        var original = NewClient();
        await store.CreateAsync(original, None);

        var result = await store.CreateAsync(NewClient(original.ClientId, "Impostor") with { RedirectUris = ["https://evil.example/"] }, None);

        result.Status.ShouldBe(StoreWriteStatus.DuplicateId);
        result.Value.ShouldBeNull();
        (await store.FindByIdAsync(original.ClientId, None)).ShouldBeEquivalentTo(original);
        (await store.ListAsync(0, 10, None)).Total.ShouldBe(1);
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
    public async Task List_FivePagedByTwo_ReturnsCreationOrderZeroBasedPagesAndTotal()
    {
        var store = await CreateStoreAsync();
        // Ids in reverse alphabetical order, so a store that sorts by id instead of creation fails.
        var ids = new[] { "client_e", "client_d", "client_c", "client_b", "client_a" };
        foreach (var id in ids)
        {
            (await store.CreateAsync(NewClient(id), None)).Succeeded.ShouldBeTrue();
        }

        var pages = new List<StorePage<Client>>();
        for (var page = 0; page < 4; page++)
        {
            pages.Add(await store.ListAsync(page, 2, None));
        }

        pages.Select(p => p.Total).ShouldAllBe(total => total == 5);
        pages[0].Items.Select(c => c.ClientId).ShouldBe(["client_e", "client_d"]);
        pages[1].Items.Select(c => c.ClientId).ShouldBe(["client_c", "client_b"]);
        pages[2].Items.Select(c => c.ClientId).ShouldBe(["client_a"]);
        pages[3].Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task List_Items_AreWholeRecords()
    {
        var store = await CreateStoreAsync();
        var client = NewClient();
        await store.CreateAsync(client, None);

        var page = await store.ListAsync(0, 10, None);

        page.Items.Count.ShouldBe(1);
        page.Items[0].ShouldBeEquivalentTo(client);
    }

    [Fact]
    public async Task Update_OneMemberChanged_OnlyThatMemberDiffers()
    {
        var store = await CreateStoreAsync();
        var client = NewClient();
        await store.CreateAsync(client, None);

        var result = await store.UpdateAsync(client.ClientId, c => c with { ClientName = "Renamed" }, None);

        result.Status.ShouldBe(StoreWriteStatus.Succeeded);
        var expected = client with { ClientName = "Renamed" };
        result.Value.ShouldBeEquivalentTo(expected);
        (await store.FindByIdAsync(client.ClientId, None)).ShouldBeEquivalentTo(expected);
    }

    [Fact]
    public async Task Update_DelegateChangesClientId_IdIsKept()
    {
        var store = await CreateStoreAsync();
        var client = NewClient();
        await store.CreateAsync(client, None);

        var result = await store.UpdateAsync(client.ClientId, c => c with { ClientId = "client_moved", ClientName = "Moved" }, None);

        result.Status.ShouldBe(StoreWriteStatus.Succeeded);
        result.Value!.ClientId.ShouldBe(client.ClientId);
        (await store.FindByIdAsync(client.ClientId, None)).ShouldBeEquivalentTo(client with { ClientName = "Moved" });
        (await store.FindByIdAsync("client_moved", None)).ShouldBeNull();
        (await store.ListAsync(0, 10, None)).Total.ShouldBe(1);
    }

    [Fact]
    public async Task Update_UnknownId_ReturnsNotFoundAndCreatesNothing()
    {
        var store = await CreateStoreAsync();

        var result = await store.UpdateAsync("client_unknown", c => c with { ClientName = "Ghost" }, None);

        result.Status.ShouldBe(StoreWriteStatus.NotFound);
        result.Value.ShouldBeNull();
        (await store.FindByIdAsync("client_unknown", None)).ShouldBeNull();
        (await store.ListAsync(0, 10, None)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task Delete_ExistingClient_ReturnsTrueThenFalseAndRemovesIt()
    {
        var store = await CreateStoreAsync();
        var kept = NewClient();
        var deleted = NewClient();
        await store.CreateAsync(kept, None);
        await store.CreateAsync(deleted, None);

        (await store.DeleteAsync(deleted.ClientId, None)).ShouldBeTrue();
        (await store.DeleteAsync(deleted.ClientId, None)).ShouldBeFalse();

        (await store.FindByIdAsync(deleted.ClientId, None)).ShouldBeNull();
        var page = await store.ListAsync(0, 10, None);
        page.Total.ShouldBe(1);
        page.Items.Select(c => c.ClientId).ShouldBe([kept.ClientId]);
    }

    [Fact]
    public async Task Delete_UnknownId_ReturnsFalse()
    {
        var store = await CreateStoreAsync();

        (await store.DeleteAsync("client_unknown", None)).ShouldBeFalse();
    }

    [Fact]
    public async Task Create_DeletedId_SucceedsAgain()
    {
        var store = await CreateStoreAsync();
        var client = NewClient();
        await store.CreateAsync(client, None);
        await store.DeleteAsync(client.ClientId, None);

        var again = client with { ClientName = "Second life" };
        (await store.CreateAsync(again, None)).Status.ShouldBe(StoreWriteStatus.Succeeded);

        (await store.FindByIdAsync(client.ClientId, None)).ShouldBeEquivalentTo(again);
    }

    [Fact]
    public async Task Create_1000InParallel_AllListedExactlyOnce()
    {
        var store = await CreateStoreAsync();
        var ids = Enumerable.Range(0, 1000).Select(i => $"client_{i:D4}_{Guid.NewGuid():N}").ToArray();
        var statuses = new ConcurrentBag<StoreWriteStatus>();

        await Race.AllAtOnceAsync(ids, async id => statuses.Add((await store.CreateAsync(NewClient(id), None)).Status));

        statuses.Count.ShouldBe(1000);
        statuses.ShouldAllBe(s => s == StoreWriteStatus.Succeeded);
        var listed = await ListAllAsync(store);
        listed.Count.ShouldBe(1000);
        listed.Select(c => c.ClientId).ShouldBe(ids, ignoreOrder: true);
        (await store.ListAsync(0, 1, None)).Total.ShouldBe(1000);
    }

    [Fact]
    public async Task Create_SameId1000TimesInParallel_ExactlyOneSucceeds()
    {
        var store = await CreateStoreAsync();
        const string id = "client_contested";
        var results = new ConcurrentBag<(int Attempt, StoreWriteStatus Status)>();

        await Race.AllAtOnceAsync(Enumerable.Range(0, 1000), async i =>
            results.Add((i, (await store.CreateAsync(NewClient(id, $"attempt {i}"), None)).Status)));

        var winners = results.Where(r => r.Status == StoreWriteStatus.Succeeded).ToArray();
        winners.Length.ShouldBe(1);
        results.Count(r => r.Status == StoreWriteStatus.DuplicateId).ShouldBe(999);
        (await store.FindByIdAsync(id, None))!.ClientName.ShouldBe($"attempt {winners[0].Attempt}");
        (await store.ListAsync(0, 10, None)).Total.ShouldBe(1);
    }

    [Fact]
    public async Task Update_200ParallelAppends_NoneLost()
    {
        var store = await CreateStoreAsync();
        var client = NewClient() with { RedirectUris = [] };
        await store.CreateAsync(client, None);
        var uris = Enumerable.Range(0, 200).Select(i => $"https://app.example.com/cb/{i}").ToArray();
        var statuses = new ConcurrentBag<StoreWriteStatus>();

        await Race.AllAtOnceAsync(uris, async uri => statuses.Add(
            (await store.UpdateAsync(client.ClientId, c => Race.Widen(c with { RedirectUris = [.. c.RedirectUris, uri] }), None)).Status));

        statuses.ShouldAllBe(s => s == StoreWriteStatus.Succeeded);
        var stored = await store.FindByIdAsync(client.ClientId, None);
        stored!.RedirectUris.ShouldBe(uris, ignoreOrder: true);
        stored.ShouldBeEquivalentTo(client with { RedirectUris = stored.RedirectUris });
    }

    [Fact]
    public async Task Update_OtherUpdateBetweenReadAndWrite_BothKept()
    {
        var store = await CreateStoreAsync();
        var client = NewClient();
        await store.CreateAsync(client, None);
        var inner = Race.WriteInside<Client, StoreWriteResult<Client>>(
            c => c with { ClientName = "outer" },
            () => store.UpdateAsync(client.ClientId, c => c with { LogoUri = "https://inner.example/logo.png" }, None));

        var outer = await store.UpdateAsync(client.ClientId, inner.Change, None);

        outer.Status.ShouldBe(StoreWriteStatus.Succeeded);
        (await inner.OtherWrite).Status.ShouldBe(StoreWriteStatus.Succeeded);
        (await store.FindByIdAsync(client.ClientId, None)).ShouldBeEquivalentTo(
            client with { ClientName = "outer", LogoUri = "https://inner.example/logo.png" });
    }

    [Fact]
    public async Task Update_ClientDeletedBetweenReadAndWrite_StaysDeleted()
    {
        var store = await CreateStoreAsync();
        var client = NewClient();
        await store.CreateAsync(client, None);
        var inner = Race.WriteInside<Client, bool>(c => c with { ClientName = "after" }, () => store.DeleteAsync(client.ClientId, None));

        var update = await store.UpdateAsync(client.ClientId, inner.Change, None);

        (await inner.OtherWrite).ShouldBeTrue();
        update.Status.ShouldBeOneOf(StoreWriteStatus.Succeeded, StoreWriteStatus.NotFound);
        (await store.FindByIdAsync(client.ClientId, None)).ShouldBeNull("an update must not bring a deleted client back");
        (await store.ListAsync(0, 10, None)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task UpdateAndDelete_InParallel_LeaveConsistentState()
    {
        var store = await CreateStoreAsync();
        var clients = Enumerable.Range(0, 200).Select(i => NewClient($"client_{i:D3}_{Guid.NewGuid():N}", "before")).ToArray();
        foreach (var client in clients)
        {
            await store.CreateAsync(client, None);
        }

        // Every client is updated; every even one is deleted at the same time.
        var work = clients.SelectMany((c, i) => i % 2 == 0 ? new[] { (c.ClientId, Delete: false), (c.ClientId, Delete: true) } : [(c.ClientId, Delete: false)]);
        var updateStatuses = new ConcurrentBag<StoreWriteStatus>();
        var deleteResults = new ConcurrentBag<bool>();
        await Race.AllAtOnceAsync(work, async item =>
        {
            if (item.Delete)
            {
                deleteResults.Add(await store.DeleteAsync(item.ClientId, None));
            }
            else
            {
                updateStatuses.Add((await store.UpdateAsync(item.ClientId, c => Race.Widen(c with { ClientName = "after" }), None)).Status);
            }
        });

        deleteResults.Count.ShouldBe(100);
        deleteResults.ShouldAllBe(deleted => deleted);
        updateStatuses.ShouldAllBe(s => s == StoreWriteStatus.Succeeded || s == StoreWriteStatus.NotFound);
        for (var i = 0; i < clients.Length; i++)
        {
            var stored = await store.FindByIdAsync(clients[i].ClientId, None);
            if (i % 2 == 0)
            {
                stored.ShouldBeNull($"client {i} was deleted; an update must not bring it back");
            }
            else
            {
                stored.ShouldBeEquivalentTo(clients[i] with { ClientName = "after" });
            }
        }

        var listed = await ListAllAsync(store);
        listed.Select(c => c.ClientId).ShouldBe(clients.Where((_, i) => i % 2 == 1).Select(c => c.ClientId), ignoreOrder: true);
    }

    /// <summary>Every client, read page by page (100 per page, Auth0's largest).</summary>
    protected static async Task<List<Client>> ListAllAsync(IClientStore store)
    {
        var all = new List<Client>();
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
