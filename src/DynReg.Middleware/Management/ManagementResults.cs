using System.Text.Json.Serialization.Metadata;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Protocol;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Management;

/// <summary>
/// The one writer of Management API answers: Auth0's error shape
/// <c>{statusCode, error, message, errorCode}</c> and JSON bodies, always <c>no-store</c>.
/// </summary>
internal static class ManagementResults
{
    public const string InvalidBody = "invalid_body";
    public const string InsufficientScope = "insufficient_scope";
    public const string InvalidToken = "invalid_token";
    public const string InexistentConnection = "inexistent_connection";
    public const string InexistentClient = "inexistent_client";
    public const string ConnectionConflict = "connection_conflict";
    public const string OperationNotSupported = "operation_not_supported";
    public const string InvalidQueryString = "invalid_query_string";

    /// <summary>Plain http to an https issuer; Auth0 serves https only, so it has no code of its own for this.</summary>
    public const string HttpsRequired = "https_required";

    public static IResult Error(int statusCode, string message, string errorCode)
        => Json(statusCode, new Auth0ErrorBody(statusCode, ReasonPhrase(statusCode), message, errorCode), DynRegJsonContext.Default.Auth0ErrorBody);

    /// <summary>Auth0's wording for a body that fails validation.</summary>
    public static IResult BadBody(string detail) => Error(StatusCodes.Status400BadRequest, $"Payload validation error: '{detail}'.", InvalidBody);

    public static IResult NotFound(string message, string errorCode) => Error(StatusCodes.Status404NotFound, message, errorCode);

    /// <summary>A body through the package's JSON context, <c>no-store</c> like every answer of the API.</summary>
    public static IResult Json<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo) => ProtocolResults.Json(value, typeInfo, statusCode);

    public static IResult Empty(int statusCode) => new EmptyResult(statusCode);

    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        _ => ReasonPhrases(statusCode),
    };

    private static string ReasonPhrases(int statusCode) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(statusCode);

    private sealed class EmptyResult(int statusCode) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => statusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            ProtocolResults.AddNoStore(httpContext.Response);
            return Task.CompletedTask;
        }
    }
}
