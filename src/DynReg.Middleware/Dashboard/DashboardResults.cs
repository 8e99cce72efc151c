using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Dashboard;

/// <summary>
/// The dashboard's two answers: an HTML page with strict headers, and a 303 redirect after a
/// successful post. Pages carry no script at all; their one stylesheet is inline and allowed by
/// its hash, so the CSP needs neither <c>'unsafe-inline'</c> nor a nonce.
/// </summary>
internal static class DashboardResults
{
    /// <summary>The CSP every dashboard page gets: nothing loads but the hashed stylesheet; forms post to this origin only.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(DashboardPages.Style)))}'; "
        + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IResult Html(int statusCode, string html) => new HtmlResult(statusCode, html);

    /// <summary>Post/Redirect/Get: the browser shows the page again with a GET, so a reload never repeats the change.</summary>
    public static IResult SeeOther(string location) => new RedirectResult(location);

    public static void ApplySecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
    }

    private sealed class HtmlResult(int statusCode, string html) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => statusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";

            // After antiforgery, which sets its own (weaker) X-Frame-Options and Cache-Control.
            ApplySecurityHeaders(response);
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }

    private sealed class RedirectResult(string location) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status303SeeOther;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status303SeeOther;
            response.Headers.Location = location;
            ApplySecurityHeaders(response);
            return Task.CompletedTask;
        }
    }
}
