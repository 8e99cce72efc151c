using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Login;

/// <summary>The small server-rendered pages: error, consent, form_post, logged out. No outside resources.</summary>
internal static class HtmlPages
{
    /// <summary>Endpoint metadata: this endpoint is a browser's, its errors are pages.</summary>
    internal sealed class EndpointMarker
    {
        public static readonly EndpointMarker Instance = new();
    }

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
    public static IResult Consent(string clientName, string? apiName, IReadOnlyList<string> scopes, string transactionId, string csrfToken, string userLabel, string formTarget, string redirectUri)
        => Html(StatusCodes.Status200OK, "Authorize " + clientName, _ =>
        {
            var items = new StringBuilder();
            foreach (var scope in scopes)
            {
                items.Append("<li><code>").Append(Encode(scope)).Append("</code></li>");
            }

            return $"<h1>Authorize {Encode(clientName)}</h1>"
                + $"<p>Hi {Encode(userLabel)}, <strong id=\"client-name\">{Encode(clientName)}</strong> is asking for access to your account"
                + (apiName is null ? "" : $" on <strong id=\"api-name\">{Encode(apiName)}</strong>") + ":</p>"
                + $"<ul id=\"scopes\">{items}</ul>"
                + $"<form method=\"post\" action=\"{Encode(formTarget)}\">"
                + $"<input type=\"hidden\" name=\"state\" value=\"{Encode(transactionId)}\">"
                + $"<input type=\"hidden\" name=\"_csrf\" value=\"{Encode(csrfToken)}\">"
                + "<button type=\"submit\" name=\"decision\" value=\"accept\" id=\"accept\">Accept</button>"
                + "<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Decline</button></form>";
        }, [SecurityHeaders.OriginOf(redirectUri) ?? "'none'"]);

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
        }, [SecurityHeaders.OriginOf(redirectUri) ?? "'none'"]);

    public static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    private static IResult Html(int statusCode, string title, Func<string, string> body, IEnumerable<string>? formTargets = null)
        => new HtmlResult(statusCode, title, body, formTargets);

    private sealed class HtmlResult(int statusCode, string title, Func<string, string> body, IEnumerable<string>? formTargets) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => statusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            var nonce = SecurityHeaders.NewNonce();
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";
            SecurityHeaders.Apply(response, nonce, formTargets?.Select(t => SecurityHeaders.OriginOf(t) ?? t));
            var html = $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + $"<title>{Encode(title)}</title><style>{Style}</style></head><body>{body(nonce)}</body></html>";
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
