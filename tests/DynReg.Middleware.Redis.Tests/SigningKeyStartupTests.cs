using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Testing.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>
/// The shared signing key is read from Redis by the start-up step, never while options are built:
/// an unreachable Redis neither blocks nor breaks an options read, and start fails clearly when it stays away.
/// </summary>
public sealed class SigningKeyStartupTests
{
    // Long timeouts: a read that went to Redis would block for seconds before failing.
    private static Action<RedisStoreOptions> Unreachable(int port) => o =>
    {
        o.Configuration = $"127.0.0.1:{port},abortConnect=false,connectTimeout=10000,syncTimeout=10000,asyncTimeout=10000";
        o.KeyPrefix = "unreachable:";
    };

    [Fact]
    public async Task Options_RedisUnreachable_ReadAtOnceWithoutThrowing()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDynamicClientRegistration(o => o.Issuer = TestHost.Issuer).AddRedisStores(Unreachable(LoopbackPorts.Free()));
        await using var provider = services.BuildServiceProvider();
        var read = Stopwatch.StartNew();

        var options = provider.GetRequiredService<IOptions<DynamicRegistrationOptions>>().Value;
        var monitored = provider.GetRequiredService<IOptionsMonitor<DynamicRegistrationOptions>>().CurrentValue;

        read.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        options.Issuer.ShouldBe(TestHost.Issuer);
        monitored.Issuer.ShouldBe(TestHost.Issuer);
        options.SigningKeys.Keys.ShouldBeEmpty("the shared key is not options: it is loaded when the host starts");
    }

    [Fact]
    public async Task Start_RedisUnreachable_FailsAfterTheWaitNamingRedisAndTheWayOut()
    {
        var port = LoopbackPorts.Free();
        var started = Stopwatch.StartNew();

        var failure = await Should.ThrowAsync<InvalidOperationException>(() => RedisHost.StartAsync(
            o =>
            {
                o.Configuration = $"127.0.0.1:{port},connectTimeout=500";
                o.KeyPrefix = "unreachable:";
            },
            addSigningKey: false,
            build: b => b.Services.Configure<DynamicRegistrationOptions>(o => o.SigningKeys.SourceWaitTime = TimeSpan.FromSeconds(1))));

        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        failure.Message.ShouldContain("The host cannot start: the shared signing key could not be loaded from RedisSigningKeySource");
        failure.Message.ShouldContain("Redis is unavailable");
        failure.Message.ShouldContain("AddSigningKey(...)");
    }

    [Fact]
    public async Task Start_RedisComesUpWhileStarting_StartsWithTheKeyStoredThere()
    {
        using var redis = RedisProcess.Start();
        redis.Kill();

        var starting = RedisHost.StartAsync(
            o =>
            {
                o.Configuration = redis.Address + ",connectTimeout=1000";
                o.KeyPrefix = "late:";
            },
            addSigningKey: false);
        await Task.Delay(TimeSpan.FromSeconds(1));
        starting.IsCompleted.ShouldBeFalse("start waits for the shared key");
        redis.Start();
        await using var host = await starting;

        using var jwks = await host.SendAsync(HttpMethod.Get, "/.well-known/jwks.json");
        jwks.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await jwks.Content.ReadAsStringAsync());
        document.RootElement.GetProperty("keys").GetArrayLength().ShouldBe(1);
    }
}
