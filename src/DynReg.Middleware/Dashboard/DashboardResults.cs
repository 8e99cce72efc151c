using System.Security.Cryptography;
using System.Text;
using DynReg.Middleware.Hosting;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Dashboard;

/// <summary>
/// The dashboard's two answers: an HTML page with strict headers, and a 303 redirect after a
/// successful post. Pages carry no script at all; their one stylesheet is inline and allowed by
/// its hash, so the CSP needs neither <c>'unsafe-inline'</c> nor a nonce.
/// </summary>
internal static class DashboardResults
{
    /// <summary>What every dashboard page and redirect gets: nothing loads but the hashed stylesheet; forms post to this origin only.</summary>
    private static readonly PagePolicy Policy = PagePolicy.Dashboard(Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(DashboardPages.Style))));

    public static IResult Html(int statusCode, string html) => new HtmlPageResult(statusCode, _ => html, Policy);

    /// <summary>Post/Redirect/Get: the browser shows the page again with a GET, so a reload never repeats the change.</summary>
    public static IResult SeeOther(string location) => new RedirectResult(location);

    private sealed class RedirectResult(string location) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status303SeeOther;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status303SeeOther;
            response.Headers.Location = location;
            SecurityHeaders.Apply(response, Policy, nonce: null);
            return Task.CompletedTask;
        }
    }
}
