using System.Collections.Concurrent;
using System.Net;
using DynReg.Middleware.Protocol;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Login;

/// <summary>
/// Counts failed sign-ins per connection, user and client IP in a fixed window; past the limit
/// the login answers Lock's <c>too_many_attempts</c>. A success clears the count. Not a token
/// bucket like <see cref="AddressRateLimiter"/>: only failures count, a success must clear them,
/// and the window follows the package's <see cref="TimeProvider"/>; the address in its key is
/// partitioned the same way.
/// </summary>
internal sealed class LoginAttemptLimiter(IOptions<DynamicRegistrationOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _failures = new(StringComparer.Ordinal);
    private readonly LoginPageOptions _options = options.Value.LoginPage;

    public bool IsLimited(string key)
        => _failures.TryGetValue(key, out var window) && window.Start + _options.FailedLoginWindow > time.GetUtcNow() && window.Count >= _options.MaxFailedLogins;

    public void RecordFailure(string key)
    {
        var now = time.GetUtcNow();
        _failures.AddOrUpdate(key, _ => new Window(now, 1),
            (_, window) => window.Start + _options.FailedLoginWindow > now ? window with { Count = window.Count + 1 } : new Window(now, 1));

        // Keep the table small: forget windows that are over.
        if (_failures.Count > 10_000)
        {
            foreach (var (staleKey, window) in _failures)
            {
                if (window.Start + _options.FailedLoginWindow <= now)
                {
                    _failures.TryRemove(staleKey, out _);
                }
            }
        }
    }

    public void Reset(string key) => _failures.TryRemove(key, out _);

    /// <summary>Per connection, user and address, the address partitioned as every abuse limit does.</summary>
    public static string KeyFor(string connection, string username, IPAddress? address)
        => string.Join('\n', connection, username.Trim().ToLowerInvariant(), AddressRateLimiter.Partition(address));

    private sealed record Window(DateTimeOffset Start, int Count);
}
