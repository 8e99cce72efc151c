using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Login;

/// <summary>
/// Headers for every HTML page of ours (login, consent, error, form_post): a nonce-based CSP,
/// no framing (RFC 9700 §4.16), no caching, no sniffing, no referrer.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>A fresh script nonce for one response.</summary>
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    /// <summary>
    /// Sets the headers. <paramref name="formTargets"/>: origins forms may post to or be redirected
    /// to after a post (the client's redirect URI); <paramref name="scriptSources"/>: extra script
    /// origins, such as a Lock CDN the host chose.
    /// </summary>
    public static void Apply(HttpResponse response, string nonce, IEnumerable<string>? formTargets = null, IEnumerable<string>? scriptSources = null)
    {
        var headers = response.Headers;
        var forms = string.Join(' ', new[] { "'self'" }.Concat(formTargets ?? []).Distinct());
        var scripts = string.Join(' ', new[] { "'self'", $"'nonce-{nonce}'" }.Concat(scriptSources ?? []).Distinct());
        headers.ContentSecurityPolicy =
            $"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + $"connect-src 'self'; font-src 'self' data:; form-action {forms}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
    }

    /// <summary>The origin (scheme://host:port) of a URI, for CSP source lists; null for custom schemes.</summary>
    public static string? OriginOf(string uri)
        => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
            ? parsed.GetLeftPart(UriPartial.Authority)
            : Uri.TryCreate(uri, UriKind.Absolute, out var custom) ? custom.Scheme + ":" : null;
}
