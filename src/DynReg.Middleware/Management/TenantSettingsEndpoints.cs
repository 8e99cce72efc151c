using System.Text.Json;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DynReg.Middleware.Management;

/// <summary><c>GET</c>/<c>PATCH /api/v2/tenants/settings</c>: the settings the middleware reads.</summary>
internal static class TenantSettingsEndpoints
{
    private const string Flags = "flags";
    private const string EnableDynamicClientRegistration = "enable_dynamic_client_registration";
    private const string SecurityMode = "dynamic_client_registration_security_mode";
    private const string FriendlyName = "friendly_name";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/tenants/settings", static async ([FromServices] TenantSettingsService settings, HttpContext context) =>
                Write(await settings.GetAsync(context.RequestAborted)))
            .RequireScope(ManagementApi.ReadTenantSettings);

        api.MapPatch("/tenants/settings", static async (
                [FromServices] TenantSettingsService settings, HttpContext context) =>
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

                    var updated = await settings.UpdateAsync(patch, ManagementActor.FromToken(context.User), context.RequestAborted);
                    return updated.Succeeded ? Write(updated.Value!) : ManagementResults.BadBody(updated.Message!);
                }
            })
            .RequireScope(ManagementApi.UpdateTenantSettings);
    }

    /// <summary>
    /// JSON to a patch, member by member in Auth0's order; each member's type error and rule break
    /// give the same message, so the rules are checked here as the members are read.
    /// </summary>
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
            if (!TenantSettingsService.TryParseSecurityMode(ManagementBody.AsString(mode), out var parsed))
            {
                return ManagementResults.BadBody(TenantSettingsService.SecurityModeRule);
            }

            patch = patch with { SecurityMode = parsed };
        }

        if (body.TryGetProperty(FriendlyName, out var friendlyName))
        {
            var name = ManagementBody.AsString(friendlyName);
            if (TenantSettingsService.CheckFriendlyName(name) is { } problem)
            {
                return ManagementResults.BadBody(problem);
            }

            patch = patch with { FriendlyName = name };
        }

        return null;
    }

    private static IResult Write(TenantSettings settings) => ManagementResults.Json(StatusCodes.Status200OK,
        new ManagementTenantSettingsBody(
            new ManagementTenantFlags(settings.Flags.EnableDynamicClientRegistration),
            TenantSettingsService.FormatSecurityMode(settings.DynamicClientRegistrationSecurityMode),
            settings.FriendlyName),
        DynRegJsonContext.Default.ManagementTenantSettingsBody);
}
