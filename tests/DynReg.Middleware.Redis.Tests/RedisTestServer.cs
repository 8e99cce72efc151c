using DynReg.Middleware.Stores;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>
/// The Redis every test shares: the address in <c>DYNREG_TEST_REDIS</c> (test.sh starts one), else a
/// redis-server started here for this test run. Tests keep apart by a key prefix of their own.
/// </summary>
public static class RedisTestServer
{
    public const string Variable = "DYNREG_TEST_REDIS";

    private static readonly Lazy<(string Address, RedisProcess? Own)> Server = new(Locate);
    private static readonly Lazy<IConnectionMultiplexer> SharedConnection = new(() => ConnectionMultiplexer.Connect(Address + ",abortConnect=false"));

    public static string Address => Server.Value.Address;

    public static IConnectionMultiplexer Multiplexer => SharedConnection.Value;

    /// <summary>A prefix no other test uses.</summary>
    public static string NewKeyPrefix() => "test:" + Guid.NewGuid().ToString("N") + ":";

    /// <summary>Options for a store set on the shared server, with a fresh prefix.</summary>
    public static RedisStoreOptions Options(string? keyPrefix = null) => new()
    {
        ConnectionMultiplexerFactory = () => Task.FromResult(Multiplexer),
        KeyPrefix = keyPrefix ?? NewKeyPrefix(),
    };

    internal static RedisConnection Connection(RedisStoreOptions options) => new(Microsoft.Extensions.Options.Options.Create(options));

    private static (string, RedisProcess?) Locate()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } address)
        {
            return (address, null);
        }

        if (RedisProcess.FindServer() is null)
        {
            throw new InvalidOperationException(
                $"These tests need a real Redis: set {Variable}=host:port, or install redis-server (apt-get install redis-server) so they start one.");
        }

        var own = RedisProcess.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => own.Dispose();
        return (own.Address, own);
    }
}
