using DynReg.Middleware.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// The one place a store outage becomes an answer: <c>503</c> with <c>Retry-After</c> and
/// <c>temporarily_unavailable</c> (RFC 6749 §5.2) in the endpoint's surface: JSON on protocol
/// endpoints, Auth0's error shape on the Management API, the error page in a browser. Covers the
/// handler and the result it returns, while nothing has been sent yet.
/// </summary>
internal sealed class StoreUnavailableFilter(IEnumerable<IStoreFailureClassifier> classifiers, ILogger<StoreUnavailableFilter> logger) : IEndpointFilter
{
    private const string RetryAfterSeconds = "1";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            var result = await next(context);
            return result is IResult inner ? new Guarded(inner, this) : result;
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            return Unavailable(context.HttpContext, exception);
        }
    }

    private readonly IStoreFailureClassifier[] _classifiers = [.. classifiers];

    // A store's own exception, or one a store package recognises (for example a Redis outage met
    // while Data Protection reads its keys to sign the session cookie).
    private bool IsUnavailable(Exception exception)
        => exception is StoreUnavailableException || _classifiers.Any(c => c.IsUnavailable(exception));

    private IResult Unavailable(HttpContext httpContext, Exception exception)
    {
        Log.StoreUnavailable(logger, httpContext.Request.Path, exception);
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        return EndpointSurface.Of(httpContext).Unavailable();
    }

    /// <summary>A result whose own store calls (made while it executes) are covered too.</summary>
    private sealed class Guarded(IResult inner, StoreUnavailableFilter filter) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            try
            {
                await inner.ExecuteAsync(httpContext);
            }
            catch (Exception exception) when (!httpContext.Response.HasStarted && filter.IsUnavailable(exception))
            {
                httpContext.Response.Clear();
                await filter.Unavailable(httpContext, exception).ExecuteAsync(httpContext);
            }
        }
    }
}
