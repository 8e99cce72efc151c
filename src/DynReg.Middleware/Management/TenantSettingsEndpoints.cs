using System.Text.Json;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Management;

/// <summary><c>GET</c>/<c>PATCH /api/v2/tenants/settings</c>: the settings the middleware reads.</summary>
internal static class TenantSettingsEndpoints
{
    private const string Flags = "flags";
    private const string EnableDynamicClientRegistration = "enable_dynamic_client_registration";
    private const string SecurityMode = "dynamic_client_registration_security_mode";
    private const string FriendlyName = "friendly_name";
    private const int MaxFriendlyNameLength = 255;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/tenants/settings", static async ([FromServices] ITenantSettingsStore store, HttpContext context) =>
                Write(await store.GetAsync(context.RequestAborted)))
            .RequireScope(ManagementApi.ReadTenantSettings);

        api.MapPatch("/tenants/settings", static async (
                [FromServices] ITenantSettingsStore store, [FromServices] ILogger<ManagementLog> logger, HttpContext context) =>
            {
                var (document, error) = await ManagementBody.ReadObjectAsync(context.Request, context.RequestAborted);
                if (error is not null)
                {
                    return error;
                }

                using (document)
                {
                    if (ReadPatch(document!.RootElement, out var patch) is { } invalid)
                    {
                        return invalid;
                    }

                    // One atomic merge: concurrent PATCHes of different members all land (SPEC §5).
                    var updated = await store.UpdateAsync(patch.ApplyTo, context.RequestAborted);
                    ManagementLog.TenantSettingsUpdated(logger, context.User.FindFirst("sub")?.Value);
                    return Write(updated);
                }
            })
            .RequireScope(ManagementApi.UpdateTenantSettings);
    }

    private static IResult? ReadPatch(JsonElement body, out TenantSettingsPatch patch)
    {
        patch = new TenantSettingsPatch();
        if (ManagementBody.FirstUnknownMember(body, Flags, SecurityMode, FriendlyName) is { } unknown)
        {
            return ManagementResults.BadBody($"Additional properties not allowed: {unknown}");
        }

        if (body.TryGetProperty(Flags, out var flags))
        {
            if (flags.ValueKind != JsonValueKind.Object)
            {
                return ManagementResults.BadBody($"Expected type object but found type {ManagementBody.Describe(flags.ValueKind)} at flags");
            }

            if (ManagementBody.FirstUnknownMember(flags, EnableDynamicClientRegistration) is { } unknownFlag)
            {
                return ManagementResults.BadBody($"Additional properties not allowed: {unknownFlag} at flags");
            }

            if (flags.TryGetProperty(EnableDynamicClientRegistration, out var enable))
            {
                if (enable.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return ManagementResults.BadBody($"Expected type boolean but found type {ManagementBody.Describe(enable.ValueKind)} at flags.{EnableDynamicClientRegistration}");
                }

                patch = patch with { EnableDynamicClientRegistration = enable.GetBoolean() };
            }
        }

        if (body.TryGetProperty(SecurityMode, out var mode))
        {
            var value = ManagementBody.AsString(mode);
            DynamicClientRegistrationSecurityMode parsed;
            if (value == "permissive")
            {
                parsed = DynamicClientRegistrationSecurityMode.Permissive;
            }
            else if (value == "strict")
            {
                parsed = DynamicClientRegistrationSecurityMode.Strict;
            }
            else
            {
                return ManagementResults.BadBody($"{SecurityMode} must be one of: permissive, strict");
            }

            patch = patch with { SecurityMode = parsed };
        }

        if (body.TryGetProperty(FriendlyName, out var friendlyName))
        {
            if (ManagementBody.AsString(friendlyName) is not { Length: <= MaxFriendlyNameLength } name)
            {
                return ManagementResults.BadBody($"{FriendlyName} must be a string of at most {MaxFriendlyNameLength} characters");
            }

            patch = patch with { FriendlyName = name };
        }

        return null;
    }

    private static IResult Write(TenantSettings settings) => ManagementResults.Json(StatusCodes.Status200OK, writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject(Flags);
        writer.WriteBoolean(EnableDynamicClientRegistration, settings.Flags.EnableDynamicClientRegistration);
        writer.WriteEndObject();
        writer.WriteString(SecurityMode, settings.DynamicClientRegistrationSecurityMode == DynamicClientRegistrationSecurityMode.Strict ? "strict" : "permissive");
        if (settings.FriendlyName is not null)
        {
            writer.WriteString(FriendlyName, settings.FriendlyName);
        }

        writer.WriteEndObject();
    });

    /// <summary>The members a PATCH sent; everything else is left as it is.</summary>
    private sealed record TenantSettingsPatch(bool? EnableDynamicClientRegistration = null, DynamicClientRegistrationSecurityMode? SecurityMode = null, string? FriendlyName = null)
    {
        public TenantSettings ApplyTo(TenantSettings current) => current with
        {
            Flags = EnableDynamicClientRegistration is { } enable ? current.Flags with { EnableDynamicClientRegistration = enable } : current.Flags,
            DynamicClientRegistrationSecurityMode = SecurityMode ?? current.DynamicClientRegistrationSecurityMode,
            FriendlyName = FriendlyName ?? current.FriendlyName,
        };
    }
}
