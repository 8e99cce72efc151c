using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;

namespace DynReg.Middleware.Protocol;

/// <summary>
/// The per-address limit every abuse limit shares: a token bucket per caller address, with the
/// address partitioned one way (<see cref="Partition"/>) for registration, sign-in starts and the
/// failed-login count alike. Held by the package, so the host needs no <c>AddRateLimiter</c>; the
/// buckets are per instance (several instances behind a balancer each allow the full rate).
/// </summary>
internal sealed class AddressRateLimiter : IDisposable
{
    /// <summary>The service key of the limiter on the <c>/authorize</c> requests that start a login transaction.</summary>
    public const string SignInStarts = "DynReg.SignInStarts";

    private const string UnknownAddress = "-";

    private readonly PartitionedRateLimiter<string>? _perAddress;

    /// <summary>At most <paramref name="permits"/> per <paramref name="window"/> and address; 0 turns the limit off.</summary>
    public AddressRateLimiter(int permits, TimeSpan window)
    {
        if (permits > 0)
        {
            _perAddress = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(permits, window)));
        }
    }

    /// <summary>True when the address may go on; otherwise the seconds to wait.</summary>
    public bool TryAcquire(IPAddress? caller, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (_perAddress is null)
        {
            return true;
        }

        using var lease = _perAddress.AttemptAcquire(Partition(caller));
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfterSeconds = RetryAfter(lease);
        return false;
    }

    public void Dispose() => _perAddress?.Dispose();

    /// <summary>
    /// The partition of an address: IPv4 as is, IPv6 by its /64 (one subscriber's usual allocation,
    /// so rotating addresses inside it gains nothing), IPv4-mapped IPv6 as the IPv4 address.
    /// </summary>
    public static string Partition(IPAddress? address)
    {
        if (address is null)
        {
            return UnknownAddress;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    // permits per window, refilled evenly: one token every window/permits, or in whole seconds'
    // worth when that would be under a second, so the limiter's timer never spins. Not auto-
    // replenished inside the partitioned limiter: its own 100 ms heartbeat refills (and drops idle
    // buckets, so a flood of addresses does not keep memory).
    internal static TokenBucketRateLimiterOptions Bucket(int permits, TimeSpan window)
    {
        var period = window / permits;
        var perPeriod = 1;
        if (period < TimeSpan.FromSeconds(1) && window > TimeSpan.FromSeconds(1))
        {
            period = TimeSpan.FromSeconds(1);
            perPeriod = (int)Math.Ceiling(permits / window.TotalSeconds);
        }
        else if (period < TimeSpan.FromMilliseconds(100))
        {
            period = TimeSpan.FromMilliseconds(100);
            perPeriod = (int)Math.Ceiling(permits / (window / period));
        }

        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
    }

    // RFC 9110 §10.2.3: delay-seconds, rounded up, at least 1.
    internal static int RetryAfter(RateLimitLease lease)
        => lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
}
