using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Protocol;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Login;

/// <summary>
/// The Lock surface's writer: the JSON bodies Lock's auth0.js reads from the hosted login page's
/// endpoints, and the JSONP files it loads. Every body goes through the package's JSON context,
/// so the host's JSON options never rename a member Lock looks for.
/// </summary>
internal static class LockResults
{
    /// <summary>Auth0's error body for the login endpoints: <c>{code, description, statusCode}</c> (auth0.js shows <c>description</c>).</summary>
    public static IResult Error(int statusCode, string code, string description)
        => Json(new LockError(code, description, statusCode), DynRegJsonContext.Default.LockError, statusCode);

    /// <summary>Wrong credentials: Auth0's <c>ValidationError</c>, which Lock maps to its "wrong email or password" text.</summary>
    public static IResult WrongCredentials()
        => Json(new LockValidationError("ValidationError", "invalid_user_password", "Wrong email or password.", StatusCodes.Status400BadRequest),
            DynRegJsonContext.Default.LockValidationError, StatusCodes.Status400BadRequest);

    /// <summary>A blocked user: Auth0 answers <c>401 {error: "unauthorized", error_description: "user is blocked"}</c>.</summary>
    public static IResult UserBlocked()
        => Json(new OAuthError("unauthorized", "user is blocked"), DynRegJsonContext.Default.OAuthError, StatusCodes.Status401Unauthorized);

    /// <summary>A JSON body through the package's context.</summary>
    public static IResult Json<T>(T value, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK)
        => TypedResults.Json(value, typeInfo, "application/json; charset=utf-8", statusCode);

    /// <summary>A JSONP file: <paramref name="function"/> called with <paramref name="value"/> as JSON.</summary>
    public static IResult Jsonp<T>(string function, T value, JsonTypeInfo<T> typeInfo)
        => Script($"{function}({JsonSerializer.Serialize(value, typeInfo)});");

    /// <summary>A JSONP file (or a comment in place of one).</summary>
    public static IResult Script(string body, int statusCode = StatusCodes.Status200OK)
        => TypedResults.Text(body, "application/javascript; charset=utf-8", Encoding.UTF8, statusCode);
}

/// <summary>The body of <see cref="LockResults.Error"/>.</summary>
internal sealed record LockError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("statusCode")] int StatusCode);

/// <summary>The body of <see cref="LockResults.WrongCredentials"/>.</summary>
internal sealed record LockValidationError(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("statusCode")] int StatusCode);

/// <summary><c>/user/ssodata</c>: whether a single sign-on session exists (never, here).</summary>
internal sealed record LockSsoData([property: JsonPropertyName("sso")] bool Sso);

/// <summary>The <c>*/challenge</c> endpoints: whether a captcha is required (never, here).</summary>
internal sealed record LockChallenge([property: JsonPropertyName("required")] bool Required);
