using System.Globalization;
using System.Security.Claims;
using DynReg.Middleware.Authorization;
using DynReg.Middleware.Protocol;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Login;

/// <summary>
/// The sign-in session: a cookie of its own named scheme (HttpOnly, Secure, SameSite=Lax), so
/// the next <c>/authorize</c> needs no login and <c>prompt=none</c> works.
/// </summary>
internal static class Session
{
    public const string Scheme = "DynReg.Session";
    public const string CookieName = "dynreg.session";

    private const string ConnectionClaim = "connection";
    private const string AuthTimeClaim = "auth_time";

    public static ClaimsPrincipal ToPrincipal(SignedInUser user)
    {
        var claims = new List<Claim>
        {
            new("sub", user.Subject),
            new(ConnectionClaim, user.ConnectionName),
            new(AuthTimeClaim, user.AuthTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            new("email_verified", user.EmailVerified ? "true" : "false"),
        };
        Add(claims, "email", user.Email);
        Add(claims, "name", user.Name);
        Add(claims, "nickname", user.Nickname);
        Add(claims, "picture", user.Picture);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, "sub", null));
    }

    public static SignedInUser? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.FindFirst("sub")?.Value is not { } subject || principal.FindFirst(ConnectionClaim)?.Value is not { } connection
            || !long.TryParse(principal.FindFirst(AuthTimeClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var authTime))
        {
            return null;
        }

        return new SignedInUser
        {
            Subject = subject,
            ConnectionName = connection,
            AuthTime = DateTimeOffset.FromUnixTimeSeconds(authTime),
            Email = principal.FindFirst("email")?.Value,
            EmailVerified = principal.FindFirst("email_verified")?.Value == "true",
            Name = principal.FindFirst("name")?.Value,
            Nickname = principal.FindFirst("nickname")?.Value,
            Picture = principal.FindFirst("picture")?.Value,
        };
    }

    private static void Add(List<Claim> claims, string type, string? value)
    {
        if (value is not null)
        {
            claims.Add(new Claim(type, value));
        }
    }
}

/// <summary>
/// A random per-browser cookie that login transactions are bound to: a credential post or
/// consent decision must come from the browser that started the transaction (anti-forgery,
/// double-submit with the transaction's own token).
/// </summary>
internal static class BrowserBinding
{
    public const string CookieName = "dynreg.binding";

    public static string GetOrCreate(HttpContext context)
    {
        if (context.Request.Cookies.TryGetValue(CookieName, out var existing) && existing is { Length: >= 32 and <= 64 })
        {
            return existing;
        }

        var value = SecureRandom.Base64Url(32);
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            IsEssential = true,
        });
        return value;
    }

    /// <summary>Whether the request carries the browser binding <paramref name="expected"/>, compared in constant time.</summary>
    public static bool Matches(HttpContext context, string expected)
        => context.Request.Cookies.TryGetValue(CookieName, out var actual) && actual is not null && FixedTimeEquals(actual, expected);

    public static bool FixedTimeEquals(string a, string b)
        => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));
}
