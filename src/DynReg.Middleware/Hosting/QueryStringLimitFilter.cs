using DynReg.Middleware.Login;
using DynReg.Middleware.Management;
using DynReg.Middleware.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// Bounds the query string of every endpoint of the package (bodies are bounded where they are
/// read). Over the limit: <c>414</c> (RFC 9110 §15.5.15) in the endpoint's own error shape: an
/// HTML page on the browser endpoints, Auth0's shape on the Management API, RFC 6749 JSON elsewhere.
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
        var description = $"The query string must not exceed {_limit} characters.";
        var metadata = httpContext.GetEndpoint()?.Metadata;
        IResult result = metadata?.GetMetadata<ManagementAuthentication.EndpointMarker>() is not null
            ? ManagementResults.Error(StatusCodes.Status414UriTooLong, description, "invalid_query_string")
            : metadata?.GetMetadata<HtmlPages.EndpointMarker>() is not null
                ? HtmlPages.Error(StatusCodes.Status414UriTooLong, OAuthConstants.Errors.InvalidRequest, description)
                : ProtocolResults.Error(StatusCodes.Status414UriTooLong, OAuthConstants.Errors.InvalidRequest, description);
        return ValueTask.FromResult<object?>(result);
    }
}
