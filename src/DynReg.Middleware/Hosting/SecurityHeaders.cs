using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// What a page may load and where its forms may go. The sign-in pages allow their inline
/// scripts by a fresh nonce; dashboard pages carry no script at all, so their policy has none.
/// </summary>
internal sealed class PagePolicy
{
    private readonly Func<string?, string> _contentSecurityPolicy;

    private PagePolicy(Func<string?, string> contentSecurityPolicy, bool usesNonce, bool isolatesOpener)
    {
        _contentSecurityPolicy = contentSecurityPolicy;
        UsesNonce = usesNonce;
        IsolatesOpener = isolatesOpener;
    }

    /// <summary>Whether the page's scripts need a nonce drawn per response.</summary>
    public bool UsesNonce { get; }

    /// <summary>
    /// <c>Cross-Origin-Opener-Policy: same-origin</c>. Not on the sign-in pages: Lock's popup mode
    /// talks to the window that opened it.
    /// </summary>
    public bool IsolatesOpener { get; }

    /// <summary>
    /// The sign-in pages (login, consent, error, form_post). <paramref name="redirectUri"/>: the
    /// client's redirect URI, when a form on the page posts there or a post from it is redirected
    /// there (browsers apply <c>form-action</c> to that redirect too); <paramref name="scriptSources"/>:
    /// extra script origins, such as a Lock CDN the host chose.
    /// </summary>
    public static PagePolicy SignIn(string? redirectUri = null, IEnumerable<string>? scriptSources = null)
    {
        IEnumerable<string> formTargets = redirectUri is null ? [] : [SecurityHeaders.OriginOf(redirectUri) ?? "'none'"];
        var forms = string.Join(' ', new[] { "'self'" }.Concat(formTargets).Distinct());
        var extraScripts = scriptSources?.ToArray() ?? [];
        return new PagePolicy(
            nonce =>
            {
                var scripts = string.Join(' ', new[] { "'self'", $"'nonce-{nonce}'" }.Concat(extraScripts).Distinct());
                return $"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                    + $"connect-src 'self'; font-src 'self' data:; form-action {forms}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
            },
            usesNonce: true,
            isolatesOpener: false);
    }

    /// <summary>
    /// The dashboard: nothing loads but its one inline stylesheet, allowed by its hash
    /// (<paramref name="styleHash"/>, base64 SHA-256); forms post to this origin only.
    /// </summary>
    public static PagePolicy Dashboard(string styleHash)
    {
        var policy = $"default-src 'none'; style-src 'sha256-{styleHash}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        return new PagePolicy(_ => policy, usesNonce: false, isolatesOpener: true);
    }

    /// <summary>The <c>Content-Security-Policy</c> value for a response with <paramref name="nonce"/>.</summary>
    public string ContentSecurityPolicy(string? nonce) => _contentSecurityPolicy(nonce);
}

/// <summary>
/// The one place the headers of our pages and their redirects are set: the page's CSP, no
/// framing (RFC 9700 §4.16), no caching, no sniffing, no referrer.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>A fresh script nonce for one response.</summary>
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    /// <summary>Sets the headers of <paramref name="policy"/>; <paramref name="nonce"/> when its scripts need one.</summary>
    public static void Apply(HttpResponse response, PagePolicy policy, string? nonce)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = policy.ContentSecurityPolicy(nonce);
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (policy.IsolatesOpener)
        {
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
        }

        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
    }

    /// <summary>The origin (scheme://host:port) of a URI, for CSP source lists; null for custom schemes.</summary>
    public static string? OriginOf(string uri)
        => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
            ? parsed.GetLeftPart(UriPartial.Authority)
            : Uri.TryCreate(uri, UriKind.Absolute, out var custom) ? custom.Scheme + ":" : null;
}
