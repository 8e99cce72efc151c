using System.Text.Json;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Management;

/// <summary>
/// The <c>is_disabled</c> member of a client in the Management API (not an Auth0 member: it backs
/// the "new clients disabled until the tenant owner enables them" registration policy). Kept apart
/// from the client endpoints so they call two small hooks, check and apply, and name the member in their body.
/// </summary>
internal static class ClientDisabledMember
{
    public const string Name = "is_disabled";

    public static IResult? Validate(JsonElement body)
        => body.TryGetProperty(Name, out var value) && value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
            ? ManagementResults.BadBody($"{Name} must be a boolean")
            : null;

    public static Client Apply(JsonElement body, Client client)
        => body.TryGetProperty(Name, out var value) ? client with { IsDisabled = value.GetBoolean() } : client;
}
