namespace DynReg.Middleware;

/// <summary>
/// Names of the package's metrics: one meter, <see cref="MeterName"/>, created through the host's
/// <c>IMeterFactory</c>. With OpenTelemetry: <c>.WithMetrics(m =&gt; m.AddMeter(DynamicRegistrationMetrics.MeterName))</c>.
/// </summary>
public static class DynamicRegistrationMetrics
{
    /// <summary>The meter: <c>DynReg.Middleware</c>.</summary>
    public const string MeterName = "DynReg.Middleware";

    /// <summary>Counter: clients registered (tag <c>security_mode</c>).</summary>
    public const string Registrations = "dynreg.registrations";

    /// <summary>Counter: registrations refused (tag <c>error</c>: the RFC 7591 / RFC 6749 error code, <c>too_many_requests</c> for rate limits).</summary>
    public const string RegistrationRejections = "dynreg.registration.rejections";

    /// <summary>Counter: token responses (tag <c>grant_type</c>: <c>authorization_code</c>, <c>refresh_token</c>, <c>client_credentials</c>, or <c>implicit</c> from <c>/authorize</c>).</summary>
    public const string Tokens = "dynreg.tokens";

    /// <summary>Counter: credential checks at the login page (tag <c>result</c>: <c>success</c>, <c>invalid_credentials</c>, <c>blocked</c>, <c>too_many_attempts</c>).</summary>
    public const string SignIns = "dynreg.sign_ins";

    /// <summary>Histogram (seconds): store calls as the endpoints see them, caches included (tags <c>store</c>, <c>operation</c>, and <c>error.type</c> when the store was unavailable). The built-in in-memory stores are not timed.</summary>
    public const string StoreDuration = "dynreg.store.duration";
}
