using DynReg.Middleware.Login;
using DynReg.Middleware.Management;
using DynReg.Middleware.Protocol;
using Microsoft.AspNetCore.Http;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// Who reads an endpoint's answers, and so how its errors are written. Set as metadata on the
/// route group of each surface by <c>MapDynamicRegistration</c>; the group filters ask it how to
/// refuse instead of guessing from the path.
/// </summary>
internal sealed class EndpointSurface
{
    /// <summary>RFC 6749 §5.2 / RFC 7591 §3.2.2 JSON: discovery, JWKS, registration, token, userinfo.</summary>
    public static readonly EndpointSurface Protocol = new(ProtocolResults.Error);

    /// <summary>
    /// Auth0's Management API error shape <c>{statusCode, error, message, errorCode}</c> under
    /// <c>/api/v2</c>. RFC 6749 has one code for any malformed request; Auth0's API names the problem.
    /// </summary>
    public static readonly EndpointSurface Management = new(
        (statusCode, code, description) => ManagementResults.Error(statusCode, description, code),
        httpsRequiredCode: ManagementResults.HttpsRequired,
        queryTooLongCode: ManagementResults.InvalidQueryString);

    /// <summary>HTML pages a person sees: <c>/authorize</c>, the login callback, consent, logout.</summary>
    public static readonly EndpointSurface Browser = new(HtmlPages.Error);

    /// <summary>The JSON and JSONP Auth0's Lock widget calls (<c>/usernamepassword/login</c>, <c>/client/{id}.js</c>...).</summary>
    public static readonly EndpointSurface Lock = new(LockResults.Error);

    private const string UnavailableDescription = "The service is temporarily unavailable. Retry the request later.";

    private readonly Func<int, string, string, IResult> _error;
    private readonly string _httpsRequiredCode;
    private readonly string _queryTooLongCode;

    private EndpointSurface(Func<int, string, string, IResult> error, string httpsRequiredCode = Errors.InvalidRequest, string queryTooLongCode = Errors.InvalidRequest)
    {
        _error = error;
        _httpsRequiredCode = httpsRequiredCode;
        _queryTooLongCode = queryTooLongCode;
    }

    /// <summary>The surface of the endpoint being served; null for an endpoint that is not ours.</summary>
    public static EndpointSurface? Find(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<EndpointSurface>();

    /// <summary>The surface of the endpoint being served; protocol JSON for one mapped without a surface.</summary>
    public static EndpointSurface Of(HttpContext context) => Find(context) ?? Protocol;

    /// <summary>The surface's error answer: <paramref name="code"/> is the machine-readable error, <paramref name="description"/> the text for a person.</summary>
    public IResult Error(int statusCode, string code, string description) => _error(statusCode, code, description);

    /// <summary>A store could not be reached (RFC 9110 §15.6.4); the caller sets <c>Retry-After</c>.</summary>
    public IResult Unavailable() => Error(StatusCodes.Status503ServiceUnavailable, Errors.TemporarilyUnavailable, UnavailableDescription);

    /// <summary>Plain http to an https issuer (RFC 7591 §3, OpenID Connect Registration §9).</summary>
    public IResult HttpsRequired() => Error(StatusCodes.Status400BadRequest, _httpsRequiredCode, "This endpoint is served over https only.");

    /// <summary>A query string over the host's bound: <c>414</c> (RFC 9110 §15.5.15).</summary>
    public IResult QueryTooLong(int limit)
        => Error(StatusCodes.Status414UriTooLong, _queryTooLongCode, $"The query string must not exceed {limit} characters.");
}
