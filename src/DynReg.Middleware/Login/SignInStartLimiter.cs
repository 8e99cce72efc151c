using System.Net;
using System.Threading.RateLimiting;
using DynReg.Middleware.Registration;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Login;

/// <summary>
/// Bounds the login transactions one address can start (<see cref="LoginPageOptions.SignInsStartedPerIpPerMinute"/>):
/// a token bucket per client IP, as registration's, so a flood of <c>/authorize</c> from one
/// address cannot fill the server's protocol state with abandoned transactions.
/// </summary>
internal sealed class SignInStartLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _perIp;

    public SignInStartLimiter(IOptions<DynamicRegistrationOptions> options)
    {
        var permits = options.Value.LoginPage.SignInsStartedPerIpPerMinute;
        if (permits > 0)
        {
            _perIp = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(
                key, _ => RegistrationRateLimiter.Bucket(permits, TimeSpan.FromMinutes(1))));
        }
    }

    /// <summary>True when the address may start one more sign-in; otherwise the seconds to wait.</summary>
    public bool TryAcquire(IPAddress? caller, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (_perIp is null)
        {
            return true;
        }

        using var lease = _perIp.AttemptAcquire(RegistrationRateLimiter.PartitionKey(caller));
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfterSeconds = RegistrationRateLimiter.RetryAfter(lease);
        return false;
    }

    public void Dispose() => _perIp?.Dispose();
}
