using System.Text.Json;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    private const int MaxNameLength = 256;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/clients", static async ([FromServices] IClientStore store, HttpContext context) =>
            {
                var (page, perPage, includeTotals, error) = ManagementBody.ReadPaging(context.Request);
                if (error is not null)
                {
                    return error;
                }

                var result = await store.ListAsync(page, perPage, context.RequestAborted);
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

        api.MapGet("/clients/{id}", static async ([FromServices] IClientStore store, string id, HttpContext context) =>
                await store.FindByIdAsync(id, context.RequestAborted) is { } client
                    ? ManagementResults.Json(StatusCodes.Status200OK, writer => Write(writer, client, newSecret: null))
                    : NotFound())
            .RequireScope(ManagementApi.ReadClients);

        api.MapPatch("/clients/{id}", static async (
                [FromServices] IClientStore store,
                [FromServices] IOptions<DynamicRegistrationOptions> options,
                [FromServices] TimeProvider time,
                [FromServices] ILogger<ManagementLog> logger,
                string id,
                HttpContext context) =>
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

                    var current = await store.FindByIdAsync(id, context.RequestAborted);
                    if (current is null)
                    {
                        return NotFound();
                    }

                    if ((Validate(body, current, options.Value.Registration) ?? ClientDisabledMember.Validate(body)) is { } invalid)
                    {
                        return invalid;
                    }

                    var now = time.GetUtcNow();
                    var updated = await store.UpdateAsync(id, latest => ClientDisabledMember.Apply(body, Apply(body, latest)) with { UpdatedAt = now }, context.RequestAborted);
                    if (!updated.Succeeded)
                    {
                        return NotFound();
                    }

                    ManagementLog.ClientUpdated(logger, id, context.User.FindFirst("sub")?.Value);
                    return ManagementResults.Json(StatusCodes.Status200OK, writer => Write(writer, updated.Value!, newSecret: null));
                }
            })
            .RequireScope(ManagementApi.UpdateClients);

        api.MapDelete("/clients/{id}", static async (
                [FromServices] IClientStore store, [FromServices] ILogger<ManagementLog> logger, string id, HttpContext context) =>
            {
                if (!await store.DeleteAsync(id, context.RequestAborted))
                {
                    return NotFound();
                }

                ManagementLog.ClientDeleted(logger, id, context.User.FindFirst("sub")?.Value);
                return ManagementResults.Empty(StatusCodes.Status204NoContent);
            })
            .RequireScope(ManagementApi.DeleteClients);

        api.MapPost("/clients/{id}/rotate-secret", static async (
                [FromServices] IClientStore store, [FromServices] TimeProvider time, [FromServices] ILogger<ManagementLog> logger, string id, HttpContext context) =>
            {
                var current = await store.FindByIdAsync(id, context.RequestAborted);
                if (current is null)
                {
                    return NotFound();
                }

                if (current.TokenEndpointAuthMethod == OAuthConstants.ClientAuthenticationMethods.None)
                {
                    return ManagementResults.Error(StatusCodes.Status400BadRequest,
                        "The client is public (token_endpoint_auth_method none) and has no secret.", ManagementResults.OperationNotSupported);
                }

                var secret = ClientSecrets.Generate();
                var hash = ClientSecrets.Hash(secret);
                var now = time.GetUtcNow();
                var updated = await store.UpdateAsync(id, latest => latest with { ClientSecretHash = hash, UpdatedAt = now }, context.RequestAborted);
                if (!updated.Succeeded)
                {
                    return NotFound();
                }

                ManagementLog.ClientSecretRotated(logger, id, context.User.FindFirst("sub")?.Value);
                return ManagementResults.Json(StatusCodes.Status200OK, writer => Write(writer, updated.Value!, secret));
            })
            .RequireScope(ManagementApi.UpdateClientKeys);
    }

    private static IResult? Validate(JsonElement body, Client client, RegistrationOptions limits)
    {
        if (body.TryGetProperty(Name, out var name)
            && ManagementBody.AsString(name) is not { Length: > 0 and <= MaxNameLength })
        {
            return ManagementResults.BadBody($"name must be a string of 1 to {MaxNameLength} characters");
        }

        if (body.TryGetProperty(Callbacks, out var callbacks))
        {
            if (ManagementBody.AsStringArray(callbacks) is not { } uris || uris.Count > limits.MaxRedirectUris)
            {
                return ManagementResults.BadBody($"callbacks must be an array of at most {limits.MaxRedirectUris} URIs");
            }

            // The same redirect-URI rules as registration, for this client's application type.
            foreach (var value in uris)
            {
                var problem = value.Length > limits.MaxUriLength
                    ? "is too long"
                    : RedirectUriRules.CheckSyntax(value, out var uri)
                        ?? RedirectUriRules.CheckForApplicationType(uri!, client.ApplicationType, limits.AllowHttpLoopbackRedirectUrisForWebClients);
                if (problem is not null)
                {
                    return ManagementResults.BadBody($"The callback {value} {problem}");
                }
            }
        }

        if (body.TryGetProperty(LogoUri, out var logo)
            && (ManagementBody.AsString(logo) is not { } logoUri || RedirectUriRules.CheckSyntax(logoUri, out _) is not null || logoUri.Length > limits.MaxUriLength))
        {
            return ManagementResults.BadBody("logo_uri must be an absolute URI");
        }

        return null;
    }

    private static Client Apply(JsonElement body, Client client)
    {
        if (body.TryGetProperty(Name, out var name))
        {
            client = client with { ClientName = name.GetString() };
        }

        if (body.TryGetProperty(Callbacks, out var callbacks))
        {
            client = client with { RedirectUris = ManagementBody.AsStringArray(callbacks)! };
        }

        if (body.TryGetProperty(LogoUri, out var logo))
        {
            client = client with { LogoUri = logo.GetString() };
        }

        return client;
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
