using System.Text.Json;
using DynReg.Middleware.Hosting;
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
                var items = result.Items.Select(c => Auth0ClientBody.From(c, newSecret: null)).ToList();
                return includeTotals
                    ? ManagementResults.Json(StatusCodes.Status200OK, new ManagementClientPage(result.Total, page * perPage, perPage, items),
                        DynRegJsonContext.Default.ManagementClientPage)
                    : ManagementResults.Json(StatusCodes.Status200OK, items, DynRegJsonContext.Default.IReadOnlyListManagementClientBody);
            })
            .RequireScope(ManagementApi.ReadClients);

        api.MapGet("/clients/{id}", static async ([FromServices] ClientService clients, string id, HttpContext context) =>
                await clients.FindAsync(id, context.RequestAborted) is { } client
                    ? Json(client, newSecret: null)
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
                    if (ManagementBody.FirstUnknownMember(body, Auth0ClientBody.Name, Auth0ClientBody.Callbacks, Auth0ClientBody.LogoUri, ClientDisabledMember.Name) is { } unknown)
                    {
                        return ManagementResults.BadBody($"Additional properties not allowed: {unknown}");
                    }

                    // An unknown client is 404 before its body is looked at, as on Auth0.
                    if (await clients.FindAsync(id, context.RequestAborted) is null)
                    {
                        return NotFound();
                    }

                    if (ReadPatch(body, clients, out var patch) is { } invalid)
                    {
                        return invalid;
                    }

                    var updated = await clients.UpdateAsync(id, patch, ManagementActor.FromToken(context.User), context.RequestAborted);
                    return updated.Status switch
                    {
                        ManagementStatus.Succeeded => Json(updated.Value!, newSecret: null),
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
                    ManagementStatus.Succeeded => Json(rotated.Value.Client, rotated.Value.Secret),
                    ManagementStatus.NotSupported => ManagementResults.Error(StatusCodes.Status400BadRequest, rotated.Message!, ManagementResults.OperationNotSupported),
                    _ => NotFound(),
                };
            })
            .RequireScope(ManagementApi.UpdateClientKeys);
    }

    /// <summary>
    /// JSON to a patch, member by member, with Auth0's message for a member of the wrong type (the
    /// same as for a value the rules refuse). The rules for the whole client run in the service.
    /// </summary>
    private static IResult? ReadPatch(JsonElement body, ClientService clients, out ClientPatch patch)
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

        if (body.TryGetProperty(Auth0ClientBody.Name, out var nameElement))
        {
            var name = ManagementBody.AsString(nameElement);
            if (ClientService.CheckName(name) is { } problem)
            {
                return ManagementResults.BadBody(problem);
            }

            patch = patch with { Name = name };
        }

        if (body.TryGetProperty(Auth0ClientBody.Callbacks, out var callbacks))
        {
            if (ManagementBody.AsStringArray(callbacks) is not { } uris)
            {
                return ManagementResults.BadBody(clients.CallbacksRule);
            }

            patch = patch with { RedirectUris = uris };
        }

        if (body.TryGetProperty(Auth0ClientBody.LogoUri, out var logo))
        {
            if (ManagementBody.AsString(logo) is not { } logoUri)
            {
                return ManagementResults.BadBody(clients.LogoUriRule);
            }

            patch = patch with { LogoUri = logoUri };
        }

        return null;
    }

    /// <summary>Auth0's client shape; <paramref name="newSecret"/> only right after a rotation.</summary>
    private static IResult Json(Client client, string? newSecret)
        => ManagementResults.Json(StatusCodes.Status200OK, Auth0ClientBody.From(client, newSecret), DynRegJsonContext.Default.ManagementClientBody);

    private static IResult NotFound() => ManagementResults.NotFound("The client does not exist", ManagementResults.InexistentClient);
}
