using System.Text;
using System.Text.Encodings.Web;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Protocol;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Login;

/// <summary>
/// The browser surface's writer: the small server-rendered pages (error, consent, form_post,
/// logged out), in one layout without outside resources.
/// </summary>
internal static class HtmlPages
{
    private const string Style = "body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}"
        + "h1{font-size:1.4rem}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}code{word-break:break-all}";

    public static IResult Error(int statusCode, string error, string? description)
        => Html(statusCode, "Error", nonce =>
            $"<h1>Something went wrong</h1><p><code id=\"error\">{Encode(error)}</code></p><p id=\"error_description\">{Encode(description ?? string.Empty)}</p>");

    public static IResult LoggedOut()
        => Html(StatusCodes.Status200OK, "Logged out", _ => "<h1>You are logged out.</h1>");

    /// <summary>
    /// The consent page of a third-party client (Auth0's user consent): lists the API and scopes.
    /// Its form posts to <paramref name="formTarget"/> (our own path, covered by <c>'self'</c>), and
    /// the answer redirects to <paramref name="redirectUri"/>: browsers apply CSP <c>form-action</c>
    /// to that redirect too, so the redirect URI's origin must be a form target.
    /// </summary>
    public static IResult Consent(string clientName, Tokens.ApiResource? api, IReadOnlyList<string> scopes, string transactionId, string csrfToken, string userLabel, string formTarget, string redirectUri)
        => Html(StatusCodes.Status200OK, "Authorize " + clientName, _ =>
        {
            var items = new StringBuilder();
            foreach (var scope in scopes)
            {
                items.Append("<li><code>").Append(Encode(scope)).Append("</code></li>");
            }

            return $"<h1>Authorize {Encode(clientName)}</h1>"
                + $"<p>Hi {Encode(userLabel)}, <strong id=\"client-name\">{Encode(clientName)}</strong> is asking for access to your account"
                + (api is null ? "" : $" on <strong id=\"api-name\">{Encode(api.Name)}</strong>"
                    + (api.Name == api.Identifier ? "" : $" (<code id=\"api-identifier\">{Encode(api.Identifier)}</code>)")) + ":</p>"
                + $"<ul id=\"scopes\">{items}</ul>"
                + $"<form method=\"post\" action=\"{Encode(formTarget)}\">"
                + $"<input type=\"hidden\" name=\"state\" value=\"{Encode(transactionId)}\">"
                + $"<input type=\"hidden\" name=\"_csrf\" value=\"{Encode(csrfToken)}\">"
                + "<button type=\"submit\" name=\"decision\" value=\"accept\" id=\"accept\">Accept</button>"
                + "<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Decline</button></form>";
        }, redirectUri);

    /// <summary>OAuth 2.0 Form Post Response Mode: an auto-submitting form to the client.</summary>
    public static IResult FormPost(string redirectUri, IEnumerable<KeyValuePair<string, string>> parameters)
        => Html(StatusCodes.Status200OK, "Continue", nonce =>
        {
            var fields = new StringBuilder();
            foreach (var (name, value) in parameters)
            {
                fields.Append($"<input type=\"hidden\" name=\"{Encode(name)}\" value=\"{Encode(value)}\">");
            }

            return $"<form method=\"post\" action=\"{Encode(redirectUri)}\">{fields}<noscript><button type=\"submit\">Continue</button></noscript></form>"
                + $"<script nonce=\"{nonce}\">document.forms[0].submit();</script>";
        }, redirectUri);

    /// <summary>A <c>302</c> that no cache keeps: it may carry a code or tokens (RFC 6749 §4.1.2, §10.3).</summary>
    public static IResult Redirect(string location) => new NoStoreRedirect(location);

    public static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    /// <summary>Any sign-in page of ours, with the sign-in pages' headers (<see cref="PagePolicy.SignIn"/>).</summary>
    public static IResult SignInPage(int statusCode, Func<string, string> render, string? redirectUri = null, IEnumerable<string>? scriptSources = null)
        => new HtmlPageResult(statusCode, nonce => render(nonce!), PagePolicy.SignIn(redirectUri, scriptSources));

    private static IResult Html(int statusCode, string title, Func<string, string> body, string? redirectUri = null)
        => SignInPage(statusCode, nonce => $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + $"<title>{Encode(title)}</title><style>{Style}</style></head><body>{body(nonce)}</body></html>", redirectUri);

    private sealed class NoStoreRedirect(string location) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status302Found;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status302Found;
            httpContext.Response.Headers.Location = location;
            ProtocolResults.AddNoStore(httpContext.Response);
            return Task.CompletedTask;
        }
    }
}
