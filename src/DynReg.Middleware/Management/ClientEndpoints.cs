using System.Text.Json;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DynReg.Middleware.Management;

/// <summary>
/// <c>/api/v2/clients</c>: the tenant owner's view of every client. Dynamic clients show
/// <c>is_first_party: false</c>; secrets are never returned after they were issued, except
/// the new one from <c>rotate-secret</c>, once.
/// </summary>
internal static class ClientEndpoints
{
    private const string ClientId = "client_id";
    private const string Name = "name";
    private const string Callbacks = "callbacks";
    private const string LogoUri = "logo_uri";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/clients", static async ([FromServices] ClientService clients, HttpContext context) =>
            {
                var (page, perPage, includeTotals, error) = ManagementBody.ReadPaging(context.Request);
                if (error is not null)
                {
                    return error;
                }

                var result = await clients.ListAsync(page, perPage, context.RequestAborted);
                return ManagementResults.Json(StatusCodes.Status200OK, writer =>
                {
                    if (includeTotals)
                    {
                        writer.WriteStartObject();
                        writer.WriteNumber("total", result.Total);
                        writer.WriteNumber("start", page * perPage);
                        writer.WriteNumber("limit", perPage);
                        writer.WritePropertyName("clients");
                    }

                    writer.WriteStartArray();
                    foreach (var client in result.Items)
                    {
                        Write(writer, client, newSecret: null);
                    }

                    writer.WriteEndArray();
                    if (includeTotals)
                    {
                        writer.WriteEndObject();
                    }
                });
            })
            .RequireScope(ManagementApi.ReadClients);

        api.MapGet("/clients/{id}", static async ([FromServices] ClientService clients, string id, HttpContext context) =>
                await clients.FindAsync(id, context.RequestAborted) is { } client
                    ? ManagementResults.Json(StatusCodes.Status200OK, writer => Write(writer, client, newSecret: null))
                    : NotFound())
            .RequireScope(ManagementApi.ReadClients);

        api.MapPatch("/clients/{id}", static async ([FromServices] ClientService clients, string id, HttpContext context) =>
            {
                var (document, error) = await ManagementBody.ReadObjectAsync(context.Request, context.RequestAborted);
                if (error is not null)
                {
                    return error;
                }

                using (document)
                {
                    var body = document!.RootElement;

                    // client_id, secrets and the party are never changed here (C8).
                    if (ManagementBody.FirstUnknownMember(body, Name, Callbacks, LogoUri, ClientDisabledMember.Name) is { } unknown)
                    {
                        return ManagementResults.BadBody($"Additional properties not allowed: {unknown}");
                    }

                    var current = await clients.FindAsync(id, context.RequestAborted);
                    if (current is null)
                    {
                        return NotFound();
                    }

                    if (ReadPatch(body, current, clients, out var patch) is { } invalid)
                    {
                        return invalid;
                    }

                    var updated = await clients.UpdateAsync(id, patch, ManagementActor.FromToken(context.User), context.RequestAborted);
                    return updated.Status switch
                    {
                        ManagementStatus.Succeeded => ManagementResults.Json(StatusCodes.Status200OK, writer => Write(writer, updated.Value!, newSecret: null)),
                        ManagementStatus.NotFound => NotFound(),
                        _ => ManagementResults.BadBody(updated.Message!),
                    };
                }
            })
            .RequireScope(ManagementApi.UpdateClients);

        api.MapDelete("/clients/{id}", static async ([FromServices] ClientService clients, string id, HttpContext context) =>
                await clients.DeleteAsync(id, ManagementActor.FromToken(context.User), context.RequestAborted)
                    ? ManagementResults.Empty(StatusCodes.Status204NoContent)
                    : NotFound())
            .RequireScope(ManagementApi.DeleteClients);

        api.MapPost("/clients/{id}/rotate-secret", static async ([FromServices] ClientService clients, string id, HttpContext context) =>
            {
                var rotated = await clients.RotateSecretAsync(id, ManagementActor.FromToken(context.User), context.RequestAborted);
                return rotated.Status switch
                {
                    ManagementStatus.Succeeded => ManagementResults.Json(StatusCodes.Status200OK, writer => Write(writer, rotated.Value.Client, rotated.Value.Secret)),
                    ManagementStatus.NotSupported => ManagementResults.Error(StatusCodes.Status400BadRequest, rotated.Message!, ManagementResults.OperationNotSupported),
                    _ => NotFound(),
                };
            })
            .RequireScope(ManagementApi.UpdateClientKeys);
    }

    /// <summary>
    /// JSON to a patch, member by member; a member's type error and its rule break give the same
    /// message, so the service's rules are checked here as each member is read (Auth0's order).
    /// </summary>
    private static IResult? ReadPatch(JsonElement body, Client client, ClientService clients, out ClientPatch patch)
    {
        patch = new ClientPatch();
        if (ClientDisabledMember.Validate(body) is { } disabledProblem)
        {
            return disabledProblem;
        }

        if (body.TryGetProperty(ClientDisabledMember.Name, out var disabled))
        {
            patch = patch with { IsDisabled = disabled.GetBoolean() };
        }

        if (body.TryGetProperty(Name, out var nameElement))
        {
            var name = ManagementBody.AsString(nameElement);
            if (ClientService.CheckName(name) is { } problem)
            {
                return ManagementResults.BadBody(problem);
            }

            patch = patch with { Name = name };
        }

        if (body.TryGetProperty(Callbacks, out var callbacks))
        {
            var uris = ManagementBody.AsStringArray(callbacks);
            if (clients.CheckRedirectUris(uris, client) is { } problem)
            {
                return ManagementResults.BadBody(problem);
            }

            patch = patch with { RedirectUris = uris };
        }

        if (body.TryGetProperty(LogoUri, out var logo))
        {
            var logoUri = ManagementBody.AsString(logo);
            if (clients.CheckLogoUri(logoUri) is { } problem)
            {
                return ManagementResults.BadBody(problem);
            }

            patch = patch with { LogoUri = logoUri };
        }

        return null;
    }

    /// <summary>Auth0's client shape; <paramref name="newSecret"/> only right after a rotation.</summary>
    private static void Write(Utf8JsonWriter writer, Client client, string? newSecret)
    {
        writer.WriteStartObject();
        writer.WriteString(ClientId, client.ClientId);
        writer.WriteString(Name, client.ClientName ?? client.ClientId);
        if (newSecret is not null)
        {
            writer.WriteString("client_secret", newSecret);
        }

        writer.WriteBoolean("is_first_party", client.IsFirstParty);
        ClientDisabledMember.Write(writer, client);
        writer.WriteBoolean("oidc_conformant", true);
        writer.WriteString("app_type", AppType(client));
        writer.WriteString("token_endpoint_auth_method", client.TokenEndpointAuthMethod);
        WriteArray(writer, Callbacks, client.RedirectUris);
        WriteArray(writer, "grant_types", client.GrantTypes);
        if (client.LogoUri is not null)
        {
            writer.WriteString(LogoUri, client.LogoUri);
        }

        writer.WriteString("created_at", client.CreatedAt);
        if (client.LastUsedAt is { } lastUsed)
        {
            writer.WriteString("last_used_at", lastUsed);
        }
        else
        {
            writer.WriteNull("last_used_at");
        }
        writer.WriteEndObject();
    }

    private static string AppType(Client client) => client switch
    {
        { ApplicationType: OAuthConstants.ApplicationTypes.Native } => "native",
        { RedirectUris.Count: 0 } => "non_interactive",
        _ => "regular_web",
    };

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static IResult NotFound() => ManagementResults.NotFound("The client does not exist", ManagementResults.InexistentClient);
}
