using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// Lifetime validation (RFC 7519 §4.1.4 <c>exp</c>, §4.1.5 <c>nbf</c>) on the host's
/// <see cref="TimeProvider"/>: the clock that stamps <c>iat</c>/<c>exp</c> when a token is issued is
/// the clock that checks them, so a host with its own clock never disagrees with itself.
/// IdentityModel's default validator reads the system clock.
/// </summary>
internal static class TokenLifetime
{
    /// <summary>A <see cref="LifetimeValidator"/> that throws IdentityModel's own exceptions (callers tell "expired" apart).</summary>
    public static LifetimeValidator On(TimeProvider time) => (notBefore, expires, _, parameters) =>
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiration time.");
        }

        if (notBefore is { } nbf && nbf > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = nbf };
        }

        if (expires.Value < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }

        return true;
    };
}
