using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// Which API a request asks a token for: RFC 8707 resource indicators beside Auth0's
/// <c>audience</c> parameter. When both are sent, <c>audience</c> decides, as Auth0's Resource
/// Parameter Compatibility Profile does (https://auth0.com/ai/docs/mcp/guides/resource-param-compatibility-profile);
/// the resource must still be well formed. One API per token: a request naming more than one
/// distinct resource is refused with <c>invalid_target</c> (RFC 8707 §2).
/// </summary>
internal static class ResourceIndicators
{
    /// <summary>Distinct resources one request may name; a token has one API as its audience.</summary>
    public const int MaxPerRequest = 1;

    /// <summary>Separates the values of a repeated <c>resource</c> parameter in a flat parameter dictionary.</summary>
    public const char ValueSeparator = '\n';

    /// <summary>The values of <c>resource</c> as a flat parameter dictionary holds them (repeats joined by <see cref="ValueSeparator"/>).</summary>
    public static IReadOnlyList<string> Values(IReadOnlyDictionary<string, string> parameters)
        => parameters.TryGetValue(Parameters.Resource, out var joined) ? joined.Split(ValueSeparator) : [];

    /// <summary>
    /// The API identifier asked for (null: none), or an <c>invalid_target</c> refusal when a
    /// resource is malformed or there are too many.
    /// </summary>
    public static RequestedTarget Read(string? audience, IReadOnlyList<string> resources)
    {
        var distinct = new List<string>(resources.Count);
        foreach (var resource in resources)
        {
            // RFC 8707 §2: an absolute URI (RFC 3986 §4.3) that MUST NOT include a fragment.
            if (!IsAbsoluteUriWithoutFragment(resource))
            {
                return RequestedTarget.Refused($"The resource '{Protocol.QuotedValue.Shorten(resource)}' must be an absolute URI without a fragment (RFC 8707 §2).");
            }

            if (!distinct.Contains(resource, StringComparer.Ordinal))
            {
                distinct.Add(resource);
            }
        }

        if (distinct.Count > MaxPerRequest)
        {
            return RequestedTarget.Refused($"At most {MaxPerRequest} resource may be asked for in one request.");
        }

        if (!string.IsNullOrEmpty(audience))
        {
            return new RequestedTarget(audience, FromResource: false, null);
        }

        return distinct.Count == 1 ? new RequestedTarget(distinct[0], FromResource: true, null) : new RequestedTarget(null, false, null);
    }

    /// <summary>
    /// At the token endpoint for a code or a refresh token: a resource, when sent, must be the API
    /// the grant was made for (RFC 8707 §2.2: the request may narrow, never widen, what was granted).
    /// Null when fine, else the <c>invalid_target</c> description.
    /// </summary>
    public static string? CheckAgainstGrant(IReadOnlyDictionary<string, string> parameters, string? grantedAudience)
    {
        var target = Read(audience: null, Values(parameters));
        if (target.Error is not null || target.Identifier is null)
        {
            return target.Error;
        }

        return target.Identifier == grantedAudience
            ? null
            : $"The resource '{Protocol.QuotedValue.Shorten(target.Identifier)}' was not granted: ask for it at the authorization endpoint.";
    }

    /// <summary>The refusal for a well-formed resource that is not an API of this tenant.</summary>
    public static string UnknownResource(string resource)
        => $"The resource '{Protocol.QuotedValue.Shorten(resource)}' is not an API of this tenant.";

    private static bool IsAbsoluteUriWithoutFragment(string value)
    {
        if (value.Length == 0 || value.Contains('#') || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        // RFC 3986 §3.1: "scheme:" first (System.Uri alone would take "/path" for a file URI).
        var colon = value.IndexOf(':');
        return colon > 0 && char.IsAsciiLetter(value[0])
            && value.AsSpan(1, colon - 1).IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.") < 0
            && Uri.TryCreate(value, UriKind.Absolute, out _);
    }
}

/// <summary>The API a request asks for, whether it came from <c>resource</c>, or why it was refused.</summary>
internal readonly record struct RequestedTarget(string? Identifier, bool FromResource, string? Error)
{
    public static RequestedTarget Refused(string description) => new(null, false, description);
}
