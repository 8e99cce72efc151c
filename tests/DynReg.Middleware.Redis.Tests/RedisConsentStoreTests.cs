using DynReg.Middleware.Testing.StoreContracts;

namespace DynReg.Middleware.Redis.Tests;

public sealed class RedisConsentStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly RedisConsentStore _store;

    public RedisConsentStoreTests()
    {
        var options = RedisTestServer.Options();
        _store = new RedisConsentStore(RedisTestServer.Connection(options), new RedisKeys(options.KeyPrefix));
    }

    [Fact]
    public async Task Get_NothingGranted_ReturnsEmpty()
    {
        (await _store.GetGrantedScopesAsync("auth0|jane", "client_a", "api", None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Grant_TwiceOverlapping_ReturnsUnion()
    {
        await _store.GrantAsync("auth0|jane", "client_a", "api", ["openid", "read"], None);
        await _store.GrantAsync("auth0|jane", "client_a", "api", ["read", "write"], None);

        (await _store.GetGrantedScopesAsync("auth0|jane", "client_a", "api", None)).ShouldBe(["openid", "read", "write"], ignoreOrder: true);
    }

    [Fact]
    public async Task Grant_NoScopes_GrantsNothing()
    {
        await _store.GrantAsync("auth0|jane", "client_a", "api", [], None);

        (await _store.GetGrantedScopesAsync("auth0|jane", "client_a", "api", None)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("auth0|john", "client_a", "api")]
    [InlineData("auth0|jane", "client_b", "api")]
    [InlineData("auth0|jane", "client_a", "other-api")]
    public async Task Grant_OtherSubjectClientOrAudience_NotShared(string subject, string clientId, string audience)
    {
        await _store.GrantAsync("auth0|jane", "client_a", "api", ["read"], None);

        (await _store.GetGrantedScopesAsync(subject, clientId, audience, None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Grant_SeparatorsInsideValues_DoNotCollide()
    {
        // Joined naively with ':' both would be "a:b:c:api".
        await _store.GrantAsync("a:b", "c", "api", ["read"], None);

        (await _store.GetGrantedScopesAsync("a", "b:c", "api", None)).ShouldBeEmpty();
        (await _store.GetGrantedScopesAsync("a:b", "c", "api", None)).ShouldBe(["read"]);
    }

    [Fact]
    public async Task Grant_200InParallel_NoneLost()
    {
        var scopes = Enumerable.Range(0, 200).Select(i => $"scope:{i}").ToArray();

        await Race.AllAtOnceAsync(scopes, scope => _store.GrantAsync("auth0|jane", "client_a", "api", [scope], None));

        (await _store.GetGrantedScopesAsync("auth0|jane", "client_a", "api", None)).ShouldBe(scopes, ignoreOrder: true);
    }
}
