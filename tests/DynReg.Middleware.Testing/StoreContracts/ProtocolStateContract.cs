using System.Collections.Concurrent;
using DynReg.Middleware.Authorization;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Tokens;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace DynReg.Middleware.Testing.StoreContracts;

/// <summary>
/// What every <see cref="IProtocolStateStore"/> must do, seen directly and through the typed
/// repositories built on it: a code is redeemed, replayed (its family revoked) or unknown; a
/// refresh token is rotated, reused (its family revoked) or revoked; and of concurrent uses of
/// one credential exactly one wins. Derive once per implementation.
/// </summary>
public abstract class ProtocolStateContract
{
    private const int Contenders = 64;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly byte[] Value = [1, 2, 3, 4];
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>A new, empty store, not shared with any other test.</summary>
    protected abstract Task<IProtocolStateStore> CreateStoreAsync();

    [Fact]
    public async Task Get_AfterSet_ReturnsValueAndKeepsIt()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync("k", Value, Minute, None);

        (await store.GetAsync("k", None)).ShouldBe(Value);
        (await store.GetAsync("k", None)).ShouldBe(Value);
    }

    [Fact]
    public async Task Take_Twice_FirstGetsValueSecondNull()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync("k", Value, Minute, None);

        (await store.TakeAsync("k", None)).ShouldBe(Value);
        (await store.TakeAsync("k", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Remove_AfterSet_GetReturnsNull()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync("k", Value, Minute, None);

        await store.RemoveAsync("k", None);

        (await store.GetAsync("k", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Take_ManyInParallel_ExactlyOneGetsValue()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync("contested", Value, Minute, None);
        var taken = new ConcurrentBag<byte[]?>();

        await Race.AllAtOnceAsync(Enumerable.Range(0, Contenders), async _ => taken.Add(await store.TakeAsync("contested", None)));

        taken.Count(v => v is not null).ShouldBe(1);
    }

    [Fact]
    public async Task LoginTransaction_SavedThenRemoved_FoundOnlyBetween()
    {
        var transactions = new LoginTransactions(new ProtocolStateRepository(await CreateStoreAsync()));
        var transaction = NewTransaction();

        await transactions.SaveAsync(transaction, None);
        (await transactions.FindAsync(transaction.Id, None)).ShouldBeEquivalentTo(transaction);
        (await transactions.FindAsync(transaction.Id, None)).ShouldNotBeNull();
        await transactions.RemoveAsync(transaction.Id, None);

        (await transactions.FindAsync(transaction.Id, None)).ShouldBeNull();
    }

    [Fact]
    public async Task LoginTicket_RedeemedTwice_OnlyFirstGetsIt()
    {
        var tickets = new LoginTickets(new ProtocolStateRepository(await CreateStoreAsync()));
        var ticket = new LoginTicket("tx-1", "Username-Password-Authentication", User);
        var value = await tickets.CreateAsync(ticket, None);

        (await tickets.RedeemAsync(value, None)).ShouldBe(ticket);
        (await tickets.RedeemAsync(value, None)).ShouldBeNull();
    }

    [Fact]
    public async Task RedeemCode_New_RedeemedWithItsGrant()
    {
        var (codes, _) = await RepositoriesAsync();
        var grant = NewCodeGrant();
        var code = await codes.CreateAsync(grant, None);

        var redeemed = (await codes.RedeemAsync(code, None)).ShouldBeOfType<CodeRedemption.Redeemed>();

        redeemed.Grant.ShouldBeEquivalentTo(grant);
        redeemed.FamilyId.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task RedeemCode_NeverIssued_Unknown()
    {
        var (codes, _) = await RepositoriesAsync();

        (await codes.RedeemAsync("never-issued", None)).ShouldBeOfType<CodeRedemption.Unknown>();
    }

    // RFC 6749 §10.5: a replayed code revokes the tokens its first redemption produced.
    [Fact]
    public async Task RedeemCode_Replayed_RevokesTheFamilyOfTheFirstRedemption()
    {
        var (codes, refreshTokens) = await RepositoriesAsync();
        var code = await codes.CreateAsync(NewCodeGrant(), None);
        var first = (await codes.RedeemAsync(code, None)).ShouldBeOfType<CodeRedemption.Redeemed>();
        var issued = await refreshTokens.CreateAsync(NewRefreshGrant(first.FamilyId), None);

        var replay = (await codes.RedeemAsync(code, None)).ShouldBeOfType<CodeRedemption.Replayed>();

        replay.FamilyId.ShouldBe(first.FamilyId);
        (await refreshTokens.RotateAsync(issued, None)).ShouldBeOfType<RefreshRotation.Revoked>();
    }

    [Fact]
    public async Task RedeemCode_ManyInParallel_ExactlyOneRedeemed()
    {
        var (codes, _) = await RepositoriesAsync();
        var code = await codes.CreateAsync(NewCodeGrant(), None);
        var outcomes = new ConcurrentBag<CodeRedemption>();

        await Race.AllAtOnceAsync(Enumerable.Range(0, Contenders), async _ => outcomes.Add(await codes.RedeemAsync(code, None)));

        outcomes.Count.ShouldBe(Contenders);
        outcomes.OfType<CodeRedemption.Redeemed>().Count().ShouldBe(1);
        (await codes.RedeemAsync(code, None)).ShouldBeOfType<CodeRedemption.Replayed>();
    }

    [Fact]
    public async Task RotateRefreshToken_New_RotatedWithItsGrant()
    {
        var (_, refreshTokens) = await RepositoriesAsync();
        var grant = NewRefreshGrant("family-1");
        var token = await refreshTokens.CreateAsync(grant, None);

        (await refreshTokens.RotateAsync(token, None)).ShouldBeOfType<RefreshRotation.Rotated>().Grant.ShouldBeEquivalentTo(grant);
    }

    [Fact]
    public async Task RotateRefreshToken_NeverIssued_Revoked()
    {
        var (_, refreshTokens) = await RepositoriesAsync();

        (await refreshTokens.RotateAsync("never-issued", None)).ShouldBeOfType<RefreshRotation.Revoked>();
    }

    // RFC 9700 §4.14.2: reuse of a rotated token revokes the family, its successor included.
    [Fact]
    public async Task RotateRefreshToken_Reused_RevokesTheFamilyAndTheSuccessor()
    {
        var (_, refreshTokens) = await RepositoriesAsync();
        var first = await refreshTokens.CreateAsync(NewRefreshGrant("family-1"), None);
        (await refreshTokens.RotateAsync(first, None)).ShouldBeOfType<RefreshRotation.Rotated>();
        var successor = await refreshTokens.CreateAsync(NewRefreshGrant("family-1"), None);
        var unrelated = await refreshTokens.CreateAsync(NewRefreshGrant("family-2"), None);

        (await refreshTokens.RotateAsync(first, None)).ShouldBeOfType<RefreshRotation.Reused>().FamilyId.ShouldBe("family-1");

        (await refreshTokens.RotateAsync(successor, None)).ShouldBeOfType<RefreshRotation.Revoked>();
        (await refreshTokens.RotateAsync(unrelated, None)).ShouldBeOfType<RefreshRotation.Rotated>();
    }

    [Fact]
    public async Task RotateRefreshToken_ManyInParallel_ExactlyOneRotated()
    {
        var (_, refreshTokens) = await RepositoriesAsync();
        var token = await refreshTokens.CreateAsync(NewRefreshGrant("family-1"), None);
        var outcomes = new ConcurrentBag<RefreshRotation>();

        await Race.AllAtOnceAsync(Enumerable.Range(0, Contenders), async _ => outcomes.Add(await refreshTokens.RotateAsync(token, None)));

        outcomes.Count.ShouldBe(Contenders);
        outcomes.OfType<RefreshRotation.Rotated>().Count().ShouldBe(1);
        (await refreshTokens.RotateAsync(token, None)).ShouldBeOfType<RefreshRotation.Reused>();
    }

    private async Task<(AuthorizationCodes Codes, RefreshTokens RefreshTokens)> RepositoriesAsync()
    {
        var state = new ProtocolStateRepository(await CreateStoreAsync());
        var refreshTokens = new RefreshTokens(state, Options.Create(new DynamicRegistrationOptions()));
        return (new AuthorizationCodes(state, refreshTokens), refreshTokens);
    }

    private static readonly SignedInUser User = new()
    {
        Subject = "auth0|contract-user",
        ConnectionName = "Username-Password-Authentication",
        AuthTime = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600),
        Email = "user@example.com",
        EmailVerified = true,
    };

    private static AuthorizationCodeGrant NewCodeGrant() => new()
    {
        ClientId = "client-1",
        RedirectUri = "https://app.example.com/callback",
        Scopes = ["openid", "offline_access"],
        Audience = "https://api.example.com/",
        Nonce = "n-1",
        CodeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        User = User,
    };

    private static RefreshTokenGrant NewRefreshGrant(string familyId) => new()
    {
        FamilyId = familyId,
        ClientId = "client-1",
        Scopes = ["openid", "offline_access"],
        User = User,
    };

    private static LoginTransaction NewTransaction() => new()
    {
        Id = "tx-" + Guid.NewGuid().ToString("N"),
        ClientId = "client-1",
        RedirectUri = "https://app.example.com/callback",
        ResponseType = "code",
        ResponseMode = "query",
        Scopes = ["openid"],
        State = "s",
        CsrfToken = "csrf",
        BrowserBinding = "binding",
        CreatedAt = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600),
    };
}
