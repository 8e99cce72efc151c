using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Registration;

/// <summary>
/// The rate limits of open registration, held by the package so the host needs no
/// <c>AddRateLimiter</c>: a token bucket per client IP (IPv6 per /64), then one for the tenant.
/// The caller's own bucket is asked first, so a flood from one address is refused there and never
/// spends the tenant's permits that other callers need.
/// </summary>
internal sealed class RegistrationRateLimiter : IDisposable
{
    private const string UnknownAddress = "-";

    private readonly PartitionedRateLimiter<string>? _perIp;
    private readonly TokenBucketRateLimiter? _tenant;

    public RegistrationRateLimiter(IOptions<DynamicRegistrationOptions> options)
    {
        var limits = options.Value.Registration.Limits;
        if (limits.PermitsPerIpPerMinute > 0)
        {
            var permits = limits.PermitsPerIpPerMinute;
            _perIp = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(permits, TimeSpan.FromMinutes(1))));
        }

        if (limits.TenantPermitsPerSecond > 0)
        {
            var tenant = Bucket(limits.TenantPermitsPerSecond, TimeSpan.FromSeconds(1));
            tenant.AutoReplenishment = true;
            _tenant = new TokenBucketRateLimiter(tenant);
        }
    }

    /// <summary>Takes one permit from the caller's bucket, then the tenant's; on refusal, which one and when to retry.</summary>
    public RateLimitDecision TryAcquire(IPAddress? caller)
    {
        if (_perIp is not null)
        {
            using var lease = _perIp.AttemptAcquire(PartitionKey(caller));
            if (!lease.IsAcquired)
            {
                return RateLimitDecision.Refused(RateLimitScope.CallerAddress, RetryAfter(lease));
            }
        }

        if (_tenant is not null)
        {
            using var lease = _tenant.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                return RateLimitDecision.Refused(RateLimitScope.Tenant, RetryAfter(lease));
            }
        }

        return RateLimitDecision.Allowed;
    }

    public void Dispose()
    {
        _perIp?.Dispose();
        _tenant?.Dispose();
    }

    /// <summary>
    /// The partition of an address: IPv4 as is, IPv6 by its /64 (one subscriber's usual allocation,
    /// so rotating addresses inside it gains nothing), IPv4-mapped IPv6 as the IPv4 address.
    /// </summary>
    internal static string PartitionKey(IPAddress? address)
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

/// <summary>Whose limit refused a registration.</summary>
internal enum RateLimitScope
{
    None,
    CallerAddress,
    Tenant,
}

/// <summary>Allowed, or refused by a limit with the seconds to wait.</summary>
internal readonly record struct RateLimitDecision(bool IsAllowed, RateLimitScope Scope, int RetryAfterSeconds)
{
    public static RateLimitDecision Allowed => new(true, RateLimitScope.None, 0);

    public static RateLimitDecision Refused(RateLimitScope scope, int retryAfterSeconds) => new(false, scope, retryAfterSeconds);
}
