using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DynReg.Middleware.Hosting;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Protocol;

/// <summary>
/// The one writer of protocol answers: JSON through the source-generated context, and
/// <c>Cache-Control: no-store</c> + <c>Pragma: no-cache</c> on every one (RFC 6749 §5.1, RFC 7591 §3.2).
/// </summary>
internal static class ProtocolResults
{
    public static IResult Json<T>(T value, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK)
        => new NoStoreJsonResult<T>(value, typeInfo, statusCode);

    public static IResult Error(int statusCode, string error, string? description)
        => new NoStoreJsonResult<OAuthError>(new OAuthError(error, description), DynRegJsonContext.Default.OAuthError, statusCode);

    public static void AddNoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    private sealed class NoStoreJsonResult<T>(T value, JsonTypeInfo<T> typeInfo, int statusCode) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => statusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "application/json; charset=utf-8";
            AddNoStore(response);
            return JsonSerializer.SerializeAsync(response.Body, value, typeInfo, httpContext.RequestAborted);
        }
    }
}
