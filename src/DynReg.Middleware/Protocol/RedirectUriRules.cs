using System.Net;

namespace DynReg.Middleware.Protocol;

/// <summary>
/// What a redirect URI may be. One place for the rules, used by registration now and by
/// <c>/authorize</c> later. Registered values are kept verbatim and compared by exact
/// string equality (OpenID Connect Core §3.1.2.1); nothing here rewrites a URI.
/// </summary>
internal static class RedirectUriRules
{
    // Schemes that run code or read local data in a browser; never a redirect target (RFC 9700 §2.6, node-oidc-provider's list).
    private static readonly HashSet<string> ForbiddenSchemes = new(StringComparer.OrdinalIgnoreCase)
    {
        "javascript", "data", "vbscript", "file", "blob", "about", "filesystem",
    };

    /// <summary>
    /// Checks what holds for every client: an absolute URI with a scheme (RFC 6749 §3.1.2),
    /// no fragment (§3.1.2), no white space, no user info, no dangerous scheme.
    /// Returns null when fine, else the reason.
    /// </summary>
    public static string? CheckSyntax(string value, out Uri? uri)
    {
        uri = null;
        if (value.Length == 0)
        {
            return "must not be empty";
        }

        if (!HasScheme(value) || !Uri.TryCreate(value, UriKind.Absolute, out uri))
        {
            return "must be an absolute URI";
        }

        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "must not contain white space or control characters";
            }
        }

        if (value.Contains('#'))
        {
            return "must not contain a fragment";
        }

        if (ForbiddenSchemes.Contains(uri.Scheme))
        {
            return $"must not use the '{uri.Scheme}' scheme";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "must not contain user information";
        }

        if ((IsHttp(uri) || IsHttps(uri)) && uri.Host.Length == 0)
        {
            return "must name a host";
        }

        return null;
    }

    /// <summary>
    /// OpenID Connect Registration §2 and RFC 8252 §7: web clients use https; native clients use a
    /// custom scheme, a claimed https URI, or http on a loopback host. Http on a loopback host is
    /// also taken from a client that registers no application type (MCP clients, RFC 8252 §7.3:
    /// the app listens on the user's own machine); <see cref="AllowsImplicit"/> keeps implicit away
    /// from such URIs for web clients.
    /// </summary>
    public static string? CheckForApplicationType(Uri uri, string applicationType)
    {
        if (IsHttps(uri) && applicationType != OAuthConstants.ApplicationTypes.Native)
        {
            return null;
        }

        if (IsHttp(uri))
        {
            return IsLoopback(uri)
                ? null
                : applicationType == OAuthConstants.ApplicationTypes.Native
                    ? "uses http, which native clients may use only on a loopback host (localhost, 127.0.0.1, [::1])"
                    : "uses http, which web clients may use only on a loopback host for the code flow (https otherwise)";
        }

        return applicationType == OAuthConstants.ApplicationTypes.Native
            ? null
            : $"uses the '{uri.Scheme}' scheme, which web clients may not use (https only)";
    }

    /// <summary>
    /// OpenID Connect Registration §2: a web client using implicit registers only https URIs
    /// and never localhost; a native one only custom schemes or http on localhost.
    /// </summary>
    public static bool AllowsImplicit(Uri uri, string applicationType, bool allowHttpLoopbackForWeb)
    {
        if (applicationType == OAuthConstants.ApplicationTypes.Native)
        {
            return !IsHttps(uri) && (!IsHttp(uri) || IsLoopback(uri));
        }

        if (allowHttpLoopbackForWeb && IsLoopback(uri))
        {
            return IsHttp(uri) || IsHttps(uri);
        }

        return IsHttps(uri) && !IsLoopback(uri);
    }

    /// <summary>
    /// Whether <paramref name="requested"/> is one of <paramref name="registered"/>: simple string
    /// equality (OpenID Connect Core §3.1.2.1, RFC 9700 §2.1), with the one exception RFC 8252 §7.3
    /// and §8.3 allow: an http loopback URI matches on any port (the app picks a free one each
    /// time); scheme, host, path and query still compare exactly.
    /// </summary>
    public static bool IsRegistered(string requested, IReadOnlyList<string> registered)
    {
        foreach (var candidate in registered)
        {
            if (string.Equals(candidate, requested, StringComparison.Ordinal))
            {
                return true;
            }
        }

        if (!Uri.TryCreate(requested, UriKind.Absolute, out var requestedUri) || !IsHttp(requestedUri) || !IsLoopback(requestedUri))
        {
            return false;
        }

        foreach (var candidate in registered)
        {
            if (Uri.TryCreate(candidate, UriKind.Absolute, out var registeredUri) && IsHttp(registeredUri) && IsLoopback(registeredUri)
                && string.Equals(WithoutPort(registeredUri), WithoutPort(requestedUri), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An http URI on a loopback host (RFC 8252 §7.3).</summary>
    public static bool IsHttpLoopback(string value)
        => Uri.TryCreate(value, UriKind.Absolute, out var uri) && IsHttp(uri) && IsLoopback(uri);

    // The URI with the port taken out, so everything else still compares exactly.
    private static string WithoutPort(Uri uri)
        => uri.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.PathAndQuery, UriFormat.UriEscaped);

    /// <summary>
    /// <c>localhost</c> (and its subdomains, RFC 6761 §6.3) or a loopback IP literal, also
    /// written as a fully qualified name with a trailing dot (<c>localhost.</c>), which
    /// resolves to the same host.
    /// </summary>
    public static bool IsLoopback(Uri uri)
    {
        var host = uri.IdnHost;
        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    private static bool IsHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp;

    private static bool IsHttps(Uri uri) => uri.Scheme == Uri.UriSchemeHttps;

    // System.Uri treats "/path" as a file URI on Unix; RFC 3986 absolute URIs start with "scheme:".
    private static bool HasScheme(string value)
    {
        if (value.Length == 0 || !char.IsAsciiLetter(value[0]))
        {
            return false;
        }

        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ':')
            {
                return true;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return false;
    }
}
