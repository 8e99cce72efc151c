using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// Bounds the query string of every endpoint of the package (bodies are bounded where they are
/// read). Over the limit: <c>414</c> (RFC 9110 §15.5.15), written by the endpoint's surface.
/// </summary>
internal sealed class QueryStringLimitFilter(IOptions<DynamicRegistrationOptions> options, ILogger<QueryStringLimitFilter> logger) : IEndpointFilter
{
    private readonly int _limit = options.Value.MaxQueryStringLength;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var httpContext = context.HttpContext;
        var length = httpContext.Request.QueryString.Value?.Length ?? 0;
        if (length <= _limit)
        {
            return next(context);
        }

        Log.QueryStringTooLong(logger, httpContext.Request.Path, length, _limit);
        return ValueTask.FromResult<object?>(EndpointSurface.Of(httpContext).QueryTooLong(_limit));
    }
}
