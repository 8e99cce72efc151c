using DynReg.Middleware.Redis;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>Redis outages met outside the stores (Data Protection's key ring, say) are recognised, however wrapped.</summary>
public sealed class RedisFailureClassifierTests
{
    [Fact]
    public void IsUnavailable_ConnectionFailureWrapped_True()
    {
        var outage = new RedisConnectionException(ConnectionFailureType.UnableToConnect, "no server");

        new RedisFailureClassifier().IsUnavailable(new InvalidOperationException("key ring", outage)).ShouldBeTrue();
        new RedisFailureClassifier().IsUnavailable(new RedisTimeoutException("slow", CommandStatus.Sent)).ShouldBeTrue();
    }

    [Fact]
    public void IsUnavailable_OtherFailures_False()
    {
        new RedisFailureClassifier().IsUnavailable(new InvalidOperationException("bug")).ShouldBeFalse();
        new RedisFailureClassifier().IsUnavailable(new RedisServerException("ERR wrong number of arguments")).ShouldBeFalse();
    }
}
