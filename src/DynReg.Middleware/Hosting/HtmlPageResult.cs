using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// The one HTML answer: status, <c>text/html; charset=utf-8</c>, the page's security headers
/// (set while executing, after antiforgery has set its own weaker ones), then the markup,
/// rendered with the response's nonce.
/// </summary>
internal sealed class HtmlPageResult(int statusCode, Func<string?, string> render, PagePolicy policy) : IResult, IStatusCodeHttpResult
{
    /// <inheritdoc />
    public int? StatusCode => statusCode;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var nonce = policy.UsesNonce ? SecurityHeaders.NewNonce() : null;
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        SecurityHeaders.Apply(response, policy, nonce);
        return response.WriteAsync(render(nonce), httpContext.RequestAborted);
    }
}
