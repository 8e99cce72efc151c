using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// The package's instruments, on the meter <see cref="DynamicRegistrationMetrics.MeterName"/> made by
/// the host's <see cref="IMeterFactory"/>: OpenTelemetry (<c>AddMeter("DynReg.Middleware")</c>),
/// <c>dotnet-counters</c> or any <see cref="MeterListener"/> picks them up; the package depends on
/// none of them. Tags carry protocol words only, never a client id, user or secret.
/// </summary>
internal sealed class DynRegMetrics
{
    private readonly Counter<long> _registrations;
    private readonly Counter<long> _registrationRejections;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _signIns;
    private readonly Histogram<double> _storeDuration;

    public DynRegMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(DynamicRegistrationMetrics.MeterName);
        _registrations = meter.CreateCounter<long>(DynamicRegistrationMetrics.Registrations, "{client}", "Clients registered through POST /oidc/register.");
        _registrationRejections = meter.CreateCounter<long>(DynamicRegistrationMetrics.RegistrationRejections, "{request}", "Registrations refused, by error code.");
        _tokens = meter.CreateCounter<long>(DynamicRegistrationMetrics.Tokens, "{response}", "Token responses issued, by grant type (implicit: from /authorize).");
        _signIns = meter.CreateCounter<long>(DynamicRegistrationMetrics.SignIns, "{attempt}", "Credential checks at the login page, by result.");
        _storeDuration = meter.CreateHistogram<double>(DynamicRegistrationMetrics.StoreDuration, "s", "Duration of client, connection and tenant-settings store calls.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    }

    public void Registered(DynamicClientRegistrationSecurityMode mode)
        => _registrations.Add(1, new KeyValuePair<string, object?>("security_mode", mode == DynamicClientRegistrationSecurityMode.Strict ? "strict" : "permissive"));

    public void RegistrationRejected(string error) => _registrationRejections.Add(1, new KeyValuePair<string, object?>("error", error));

    public void TokenIssued(string grantType) => _tokens.Add(1, new KeyValuePair<string, object?>("grant_type", grantType));

    public void SignIn(string result) => _signIns.Add(1, new KeyValuePair<string, object?>("result", result));

    public void StoreCall(string store, string operation, long startTimestamp, bool failed)
    {
        if (!_storeDuration.Enabled)
        {
            return;
        }

        var tags = new TagList { { "store", store }, { "operation", operation } };
        if (failed)
        {
            tags.Add("error.type", "store_unavailable");
        }

        _storeDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }
}
