using Microsoft.Extensions.Options;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Registration.Policies;

/// <summary>Settings of the scope allow-list registration policy.</summary>
public sealed class ScopeAllowListPolicyOptions
{
    /// <summary>The scopes a dynamically registered client may register (identity and API scopes alike).</summary>
    public IList<string> AllowedScopes { get; set; } = [];
}

/// <summary>
/// Dynamic clients get only allowed scopes: a registration whose RFC 7591 §2 <c>scope</c> names
/// another is <c>400 invalid_client_metadata</c>; one without <c>scope</c> is registered with the
/// whole allow-list. Either way <c>/authorize</c> then refuses any other scope (<c>invalid_scope</c>).
/// </summary>
internal sealed class ScopeAllowListRegistrationPolicy(IOptions<ScopeAllowListPolicyOptions> options) : IRegistrationPolicy
{
    private readonly HashSet<string> _allowed = new(options.Value.AllowedScopes, StringComparer.Ordinal);
    private readonly string _default = string.Join(' ', options.Value.AllowedScopes.Distinct(StringComparer.Ordinal));

    public ValueTask<RegistrationPolicyResult> EvaluateAsync(RegistrationPolicyContext context, CancellationToken cancellationToken)
    {
        if (context.Metadata.Scope is not { } scope)
        {
            return ValueTask.FromResult(_default.Length == 0
                ? RegistrationPolicyResult.Reject(Errors.InvalidClientMetadata, "This tenant allows no scopes to dynamically registered clients.")
                : RegistrationPolicyResult.AllowWithDefaultScope(_default));
        }

        var refused = scope.Split(' ').FirstOrDefault(s => !_allowed.Contains(s));
        return ValueTask.FromResult(refused is null
            ? RegistrationPolicyResult.Allow
            : RegistrationPolicyResult.Reject(Errors.InvalidClientMetadata, $"The scope '{Shorten(refused)}' may not be registered."));
    }

    private static string Shorten(string value) => Protocol.QuotedValue.Shorten(value);
}
