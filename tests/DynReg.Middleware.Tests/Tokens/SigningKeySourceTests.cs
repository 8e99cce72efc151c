using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Tests.Hosting;
using DynReg.Middleware.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.Tests.Tokens;

/// <summary>
/// A store's shared signing key (<see cref="ISigningKeySource"/>) is loaded by the start-up step, not
/// while options are built: tried again while its store is down, and start fails clearly when it cannot load.
/// </summary>
public sealed class SigningKeySourceTests
{
    private static readonly RSA SharedKey = RSA.Create(2048);

    /// <summary>Answers with <see cref="SharedKey"/> after <see cref="FailuresBeforeKey"/> outages; counts its calls.</summary>
    private sealed class FlakySource : ISigningKeySource
    {
        public static int FailuresBeforeKey { get; set; }

        public static Exception Failure { get; set; } = new StoreUnavailableException("The test store is down.");

        public static bool OffersNoKey { get; set; }

        public static int Calls;

        public Task<IReadOnlyList<RSA>> LoadAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref Calls) <= FailuresBeforeKey)
            {
                throw Failure;
            }

            return Task.FromResult<IReadOnlyList<RSA>>(OffersNoKey ? [] : [SharedKey]);
        }
    }

    private static Task<WebApplication> StartAsync(Action<DynamicRegistrationOptions>? configure = null, Action<DynReg.Middleware.Hosting.DynamicRegistrationBuilder>? build = null)
        => BareHost.StartAsync(
            o =>
            {
                o.Issuer = TestHost.Issuer;
                o.SigningKeys.SourceWaitTime = TimeSpan.FromSeconds(10);
                configure?.Invoke(o);
            },
            b =>
            {
                b.UseSigningKeySource<FlakySource>();
                build?.Invoke(b);
            });

    private static void Reset(int failuresBeforeKey = 0, Exception? failure = null, bool offersNoKey = false)
    {
        FlakySource.Calls = 0;
        FlakySource.FailuresBeforeKey = failuresBeforeKey;
        FlakySource.Failure = failure ?? new StoreUnavailableException("The test store is down.");
        FlakySource.OffersNoKey = offersNoKey;
    }

    private static string Thumbprint(RSA key)
        => Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(false))).ComputeJwkThumbprint());

    private static async Task<string?[]> PublishedKidsAsync(WebApplication app)
    {
        using var client = app.GetTestClient();
        client.BaseAddress = TestHost.Issuer;
        using var response = await client.GetAsync("/.well-known/jwks.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var jwks = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString())];
    }

    [Fact]
    public async Task Start_SourceDownTwiceThenUp_StartsAndPublishesTheSourcesKey()
    {
        Reset(failuresBeforeKey: 2);

        await using var app = await StartAsync();

        FlakySource.Calls.ShouldBe(3);
        (await PublishedKidsAsync(app)).ShouldBe([Thumbprint(SharedKey)]);
    }

    [Fact]
    public async Task Start_HostAddedAKey_SourceNeverAskedAndTheHostsKeySigns()
    {
        Reset();

        await using var app = await StartAsync(build: b => b.AddSigningKey(TestHost.SigningKey));

        FlakySource.Calls.ShouldBe(0);
        (await PublishedKidsAsync(app)).ShouldBe([Thumbprint(TestHost.SigningKey)]);
    }

    [Fact]
    public async Task Start_SourceStaysDown_FailsAfterTheWaitNamingTheSourceAndTheWayOut()
    {
        Reset(failuresBeforeKey: int.MaxValue);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var failure = await Should.ThrowAsync<InvalidOperationException>(() => StartAsync(o => o.SigningKeys.SourceWaitTime = TimeSpan.FromSeconds(1)));

        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        FlakySource.Calls.ShouldBeGreaterThan(1);
        failure.Message.ShouldContain("signing key could not be loaded from FlakySource");
        failure.Message.ShouldContain("The test store is down.");
        failure.Message.ShouldContain("AddSigningKey(...)");
        failure.InnerException.ShouldBeOfType<StoreUnavailableException>();
    }

    [Fact]
    public async Task Start_SourceFailsWithABug_FailsAtOnceWithoutRetrying()
    {
        Reset(failuresBeforeKey: int.MaxValue, failure: new FormatException("The stored key is not PEM."));

        var failure = await Should.ThrowAsync<InvalidOperationException>(() => StartAsync());

        FlakySource.Calls.ShouldBe(1);
        failure.Message.ShouldContain("FlakySource");
        failure.Message.ShouldContain("The stored key is not PEM.");
    }

    [Fact]
    public async Task Start_SourceOffersNoKeyAndNoDevelopmentKey_FailsNamingWhatToCall()
    {
        Reset(offersNoKey: true);

        var failure = await Should.ThrowAsync<InvalidOperationException>(() => StartAsync());

        failure.Message.ShouldContain("No signing key is configured");
        failure.Message.ShouldContain("AddSigningKey(...)");
    }

    [Fact]
    public async Task Options_SourceDown_ReadWithoutCallingTheSource()
    {
        Reset(failuresBeforeKey: int.MaxValue);
        var builder = BareHost.CreateBuilder();
        builder.Services.AddDynamicClientRegistration(o => o.Issuer = TestHost.Issuer).UseSigningKeySource<FlakySource>();
        await using var app = builder.Build();

        app.Services.GetRequiredService<IOptions<DynamicRegistrationOptions>>().Value.Issuer.ShouldBe(TestHost.Issuer);
        app.Services.GetRequiredService<IOptionsMonitor<DynamicRegistrationOptions>>().CurrentValue.Issuer.ShouldBe(TestHost.Issuer);

        FlakySource.Calls.ShouldBe(0);
        Should.Throw<InvalidOperationException>(() => app.Services.GetRequiredService<SigningKeyRing>()).Message.ShouldContain("start the host");
    }
}
