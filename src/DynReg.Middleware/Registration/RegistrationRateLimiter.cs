using System.Net;
using System.Threading.RateLimiting;
using DynReg.Middleware.Protocol;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Registration;

/// <summary>
/// The rate limits of open registration: the shared per-address limit
/// (<see cref="AddressRateLimiter"/>), then one bucket for the tenant. The caller's own bucket is
/// asked first, so a flood from one address is refused there and never spends the tenant's
/// permits that other callers need.
/// </summary>
internal sealed class RegistrationRateLimiter : IDisposable
{
    private readonly AddressRateLimiter _perIp;
    private readonly TokenBucketRateLimiter? _tenant;

    public RegistrationRateLimiter(IOptions<DynamicRegistrationOptions> options)
    {
        var limits = options.Value.Registration.Limits;
        _perIp = new AddressRateLimiter(limits.PermitsPerIpPerMinute, TimeSpan.FromMinutes(1));
        if (limits.TenantPermitsPerSecond > 0)
        {
            var tenant = AddressRateLimiter.Bucket(limits.TenantPermitsPerSecond, TimeSpan.FromSeconds(1));
            tenant.AutoReplenishment = true;
            _tenant = new TokenBucketRateLimiter(tenant);
        }
    }

    /// <summary>Takes one permit from the caller's bucket, then the tenant's; on refusal, which one and when to retry.</summary>
    public RateLimitDecision TryAcquire(IPAddress? caller)
    {
        if (!_perIp.TryAcquire(caller, out var retryAfter))
        {
            return RateLimitDecision.Refused(RateLimitScope.CallerAddress, retryAfter);
        }

        if (_tenant is not null)
        {
            using var lease = _tenant.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                return RateLimitDecision.Refused(RateLimitScope.Tenant, AddressRateLimiter.RetryAfter(lease));
            }
        }

        return RateLimitDecision.Allowed;
    }

    public void Dispose()
    {
        _perIp.Dispose();
        _tenant?.Dispose();
    }
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
