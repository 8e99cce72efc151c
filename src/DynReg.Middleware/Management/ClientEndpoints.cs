using System.Text.Json;
using DynReg.Middleware.Protocol;
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
                var items = result.Items.Select(c => Body(c, newSecret: null)).ToList();
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
    private static IResult Json(Client client, string? newSecret)
        => ManagementResults.Json(StatusCodes.Status200OK, Body(client, newSecret), DynRegJsonContext.Default.ManagementClientBody);

    private static ManagementClientBody Body(Client client, string? newSecret) => new()
    {
        ClientId = client.ClientId,
        Name = client.ClientName ?? client.ClientId,
        ClientSecret = newSecret,
        IsFirstParty = client.IsFirstParty,
        IsDisabled = client.IsDisabled,
        AppType = AppType(client),
        TokenEndpointAuthMethod = client.TokenEndpointAuthMethod,
        Callbacks = client.RedirectUris,
        GrantTypes = client.GrantTypes,
        LogoUri = client.LogoUri,
        CreatedAt = client.CreatedAt,
        LastUsedAt = client.LastUsedAt,
    };

    private static string AppType(Client client) => client switch
    {
        { ApplicationType: OAuthConstants.ApplicationTypes.Native } => "native",
        { RedirectUris.Count: 0 } => "non_interactive",
        _ => "regular_web",
    };

    private static IResult NotFound() => ManagementResults.NotFound("The client does not exist", ManagementResults.InexistentClient);
}
