using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// RFC 7591 §3 and OpenID Connect Registration §9: an https issuer answers only over TLS.
/// Behind a proxy that ends TLS, the host must apply forwarded headers so the request's
/// scheme is the one the client used. The refusal is written by the endpoint's surface.
/// </summary>
internal sealed class RequireTlsFilter(IOptions<DynamicRegistrationOptions> options, ILogger<RequireTlsFilter> logger) : IEndpointFilter
{
    private readonly bool _tlsRequired = options.Value.Issuer?.Scheme == Uri.UriSchemeHttps;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_tlsRequired && !context.HttpContext.Request.IsHttps)
        {
            Log.TlsRequired(logger, context.HttpContext.Request.Path);
            return ValueTask.FromResult<object?>(EndpointSurface.Of(context.HttpContext).HttpsRequired());
        }

        return next(context);
    }
}
