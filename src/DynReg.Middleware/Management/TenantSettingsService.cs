using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Management;

/// <summary>The members a change sends; everything else is left as it is (merge semantics).</summary>
internal sealed record TenantSettingsPatch(bool? EnableDynamicClientRegistration = null, DynamicClientRegistrationSecurityMode? SecurityMode = null, string? FriendlyName = null)
{
    public TenantSettings ApplyTo(TenantSettings current) => current with
    {
        Flags = EnableDynamicClientRegistration is { } enable ? current.Flags with { EnableDynamicClientRegistration = enable } : current.Flags,
        DynamicClientRegistrationSecurityMode = SecurityMode ?? current.DynamicClientRegistrationSecurityMode,
        FriendlyName = FriendlyName ?? current.FriendlyName,
    };
}

/// <summary>
/// The tenant settings' rules and the one way to change them, for <c>/api/v2/tenants/settings</c>
/// and the dashboard alike: validate, merge atomically, write one audit line.
/// </summary>
internal sealed class TenantSettingsService(ITenantSettingsStore store, ILogger<ManagementLog> logger)
{
    public const int MaxFriendlyNameLength = 255;
    public const string Permissive = "permissive";
    public const string Strict = "strict";

    public static readonly string SecurityModeRule = "dynamic_client_registration_security_mode must be one of: permissive, strict";
    public static readonly string FriendlyNameRule = $"friendly_name must be a string of at most {MaxFriendlyNameLength} characters";

    /// <summary>Auth0's wire names of the security modes, exactly (no case folding).</summary>
    public static bool TryParseSecurityMode(string? value, out DynamicClientRegistrationSecurityMode mode)
    {
        mode = value == Strict ? DynamicClientRegistrationSecurityMode.Strict : DynamicClientRegistrationSecurityMode.Permissive;
        return value is Permissive or Strict;
    }

    public static string FormatSecurityMode(DynamicClientRegistrationSecurityMode mode)
        => mode == DynamicClientRegistrationSecurityMode.Strict ? Strict : Permissive;

    /// <summary>Null when <paramref name="friendlyName"/> may be stored (null means "not a string").</summary>
    public static string? CheckFriendlyName(string? friendlyName) => friendlyName is { Length: <= MaxFriendlyNameLength } ? null : FriendlyNameRule;

    public Task<TenantSettings> GetAsync(CancellationToken cancellationToken) => store.GetAsync(cancellationToken);

    public async Task<ManagementOutcome<TenantSettings>> UpdateAsync(TenantSettingsPatch patch, ManagementActor actor, CancellationToken cancellationToken)
    {
        if (patch.FriendlyName is not null && CheckFriendlyName(patch.FriendlyName) is { } problem)
        {
            return ManagementOutcome<TenantSettings>.Invalid(problem);
        }

        // One atomic merge: concurrent changes of different members all land (SPEC §5).
        var updated = await store.UpdateAsync(patch.ApplyTo, cancellationToken);
        ManagementLog.TenantSettingsUpdated(logger, actor.Name, actor.Channel);
        return ManagementOutcome<TenantSettings>.Success(updated);
    }
}
