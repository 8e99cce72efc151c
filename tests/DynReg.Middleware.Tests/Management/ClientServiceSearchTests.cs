using DynReg.Middleware.Management;
using DynReg.Middleware.Stores.InMemory;
using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Tests.Management;

/// <summary>The dashboard's search over a store without a text index: an exact id always, substrings within the scan bound.</summary>
public sealed class ClientServiceSearchTests
{
    [Fact]
    public async Task Search_MatchBeyondTheScanLimit_NotFoundAndSaysTheLimitWasReached()
    {
        var (service, ids) = await SeedAsync(ClientService.SearchScanLimit + 10, late: ClientService.SearchScanLimit + 5);

        var found = await service.SearchAsync("late bloomer", 0, 50, CancellationToken.None);

        found.Items.ShouldBeEmpty();
        found.ScanLimitReached.ShouldBeTrue();
        found.Scanned.ShouldBe(ClientService.SearchScanLimit);
        ids.Count.ShouldBe(ClientService.SearchScanLimit + 10);
    }

    [Fact]
    public async Task Search_ExactIdBeyondTheScanLimit_Found()
    {
        var (service, ids) = await SeedAsync(ClientService.SearchScanLimit + 10, late: ClientService.SearchScanLimit + 5);

        var found = await service.SearchAsync(ids[ClientService.SearchScanLimit + 5], 0, 50, CancellationToken.None);

        found.Items.Select(c => c.ClientName).ShouldBe(["Late Bloomer"]);
    }

    [Fact]
    public async Task Search_MatchWithinTheScanLimit_FoundWithoutReachingIt()
    {
        var (service, _) = await SeedAsync(ClientService.SearchScanLimit + 10, late: 20_000);

        var found = await service.SearchAsync("LATE BLOOMER", 0, 50, CancellationToken.None);

        found.Items.Select(c => c.ClientName).ShouldBe(["Late Bloomer"]);
        found.ScanLimitReached.ShouldBeTrue(); // nothing else matched, so the scan ran to its bound
        found.HasMore.ShouldBeFalse();
    }

    [Fact]
    public async Task Search_StoreNoLargerThanTheLimit_LimitNotReported()
    {
        var (service, _) = await SeedAsync(ClientService.SearchScanLimit, late: 10);

        var found = await service.SearchAsync("no such client", 0, 50, CancellationToken.None);

        found.Items.ShouldBeEmpty();
        found.ScanLimitReached.ShouldBeFalse();
        found.Scanned.ShouldBe(ClientService.SearchScanLimit);
    }

    private static async Task<(ClientService Service, List<string> Ids)> SeedAsync(int count, int late)
    {
        var store = new InMemoryClientStore();
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var id = $"client{i:D6}";
            await store.CreateAsync(new Client { ClientId = id, ClientName = i == late ? "Late Bloomer" : $"App {i}" }, CancellationToken.None);
            ids.Add(id);
        }

        var service = new ClientService(store, Options.Create(new DynamicRegistrationOptions()), TimeProvider.System, NullLogger<ManagementLog>.Instance);
        return (service, ids);
    }
}
