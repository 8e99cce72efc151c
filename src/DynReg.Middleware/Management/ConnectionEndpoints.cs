using System.Text.Json;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DynReg.Middleware.Management;

/// <summary><c>/api/v2/connections</c>: list, create, read, merge-PATCH, delete, as Auth0 has them.</summary>
internal static class ConnectionEndpoints
{
    private const string Id = "id";
    private const string Name = "name";
    private const string Strategy = "strategy";
    private const string IsDomainConnection = "is_domain_connection";
    private const string EnabledClients = "enabled_clients";
    private const string Options = "options";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/connections", static async ([FromServices] ConnectionService connections, HttpContext context) =>
            {
                var (page, perPage, includeTotals, error) = ManagementBody.ReadPaging(context.Request);
                if (error is not null)
                {
                    return error;
                }

                // Connections are few (Auth0 caps them), so filtering walks them all.
                var query = context.Request.Query;
                string? name = query["name"];
                var strategies = query["strategy"].Where(s => !string.IsNullOrEmpty(s)).ToArray();
                var all = await connections.ListAllAsync(context.RequestAborted);
                var matching = all
                    .Where(c => name is null || string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
                    .Where(c => strategies.Length == 0 || strategies.Contains(c.Strategy, StringComparer.Ordinal))
                    .ToList();
                var pageItems = matching.Skip(page * perPage).Take(perPage).ToList();
                var items = pageItems.ConvertAll(Body);
                return includeTotals
                    ? ManagementResults.Json(StatusCodes.Status200OK, new ManagementConnectionPage(matching.Count, page * perPage, perPage, items),
                        DynRegJsonContext.Default.ManagementConnectionPage)
                    : ManagementResults.Json(StatusCodes.Status200OK, items, DynRegJsonContext.Default.IReadOnlyListManagementConnectionBody);
            })
            .RequireScope(ManagementApi.ReadConnections);

        api.MapPost("/connections", static async ([FromServices] ConnectionService connections, HttpContext context) =>
            {
                var (document, error) = await ManagementBody.ReadObjectAsync(context.Request, context.RequestAborted);
                if (error is not null)
                {
                    return error;
                }

                using (document)
                {
                    var body = document!.RootElement;
                    if (ManagementBody.FirstUnknownMember(body, Name, Strategy, IsDomainConnection, EnabledClients, Options) is { } unknown)
                    {
                        return ManagementResults.BadBody($"Additional properties not allowed: {unknown}");
                    }

                    if (!body.TryGetProperty(Name, out var nameElement) || ManagementBody.AsString(nameElement) is not { } name)
                    {
                        return ManagementResults.BadBody(ConnectionRules.NameRule);
                    }

                    if (!body.TryGetProperty(Strategy, out var strategyElement) || ManagementBody.AsString(strategyElement) is not { } strategy)
                    {
                        return ManagementResults.BadBody(ConnectionRules.StrategyRule);
                    }

                    if (ReadMutableMembers(body, out var patch) is { } invalid)
                    {
                        return invalid;
                    }

                    var created = await connections.CreateAsync(name, strategy, patch, ManagementActor.FromToken(context.User), context.RequestAborted);
                    return created.Status switch
                    {
                        ManagementStatus.Succeeded => Json(StatusCodes.Status201Created, created.Value!),
                        ManagementStatus.Conflict => ManagementResults.Error(StatusCodes.Status409Conflict, created.Message!, ManagementResults.ConnectionConflict),
                        _ => ManagementResults.BadBody(created.Message!),
                    };
                }
            })
            .RequireScope(ManagementApi.CreateConnections);

        api.MapGet("/connections/{id}", static async ([FromServices] ConnectionService connections, string id, HttpContext context) =>
                await connections.FindAsync(id, context.RequestAborted) is { } connection
                    ? Json(StatusCodes.Status200OK, connection)
                    : NotFound())
            .RequireScope(ManagementApi.ReadConnections);

        api.MapPatch("/connections/{id}", static async ([FromServices] ConnectionService connections, string id, HttpContext context) =>
            {
                var (document, error) = await ManagementBody.ReadObjectAsync(context.Request, context.RequestAborted);
                if (error is not null)
                {
                    return error;
                }

                using (document)
                {
                    var body = document!.RootElement;

                    // Auth0: name and strategy are fixed once created.
                    if (ManagementBody.FirstUnknownMember(body, IsDomainConnection, EnabledClients, Options) is { } unknown)
                    {
                        return ManagementResults.BadBody($"Additional properties not allowed: {unknown}");
                    }

                    // A bad body never reaches the store.
                    if (ReadMutableMembers(body, out var patch) is { } invalid)
                    {
                        return invalid;
                    }

                    var updated = await connections.UpdateAsync(id, patch, ManagementActor.FromToken(context.User), context.RequestAborted);
                    return updated.Status switch
                    {
                        ManagementStatus.Succeeded => Json(StatusCodes.Status200OK, updated.Value!),
                        ManagementStatus.NotFound => NotFound(),
                        _ => ManagementResults.BadBody(updated.Message!),
                    };
                }
            })
            .RequireScope(ManagementApi.UpdateConnections);

        api.MapDelete("/connections/{id}", static async ([FromServices] ConnectionService connections, string id, HttpContext context) =>
            {
                if (!await connections.DeleteAsync(id, ManagementActor.FromToken(context.User), context.RequestAborted))
                {
                    return NotFound();
                }

                // Auth0 answers 202 Accepted to a connection delete.
                return ManagementResults.Empty(StatusCodes.Status202Accepted);
            })
            .RequireScope(ManagementApi.DeleteConnections);
    }

    /// <summary>
    /// JSON to the patch of the members a create or PATCH may set; null when each has its JSON type.
    /// A type error gets the message of the member's rule, which the service checks (once).
    /// </summary>
    private static IResult? ReadMutableMembers(JsonElement body, out ConnectionPatch patch)
    {
        patch = new ConnectionPatch();
        if (body.TryGetProperty(IsDomainConnection, out var domain))
        {
            if (domain.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return ManagementResults.BadBody($"Expected type boolean but found type {ManagementBody.Describe(domain.ValueKind)} at {IsDomainConnection}");
            }

            patch = patch with { IsDomainConnection = domain.GetBoolean() };
        }

        if (body.TryGetProperty(EnabledClients, out var enabled))
        {
            if (ManagementBody.AsStringArray(enabled) is not { } clients)
            {
                return ManagementResults.BadBody(ConnectionRules.EnabledClientsRule);
            }

            patch = patch with { EnabledClients = clients };
        }

        if (body.TryGetProperty(Options, out var options))
        {
            if (options.ValueKind != JsonValueKind.Object)
            {
                return ManagementResults.BadBody($"Expected type object but found type {ManagementBody.Describe(options.ValueKind)} at {Options}");
            }

            // Kept as raw JSON per member, so any option value round-trips unchanged.
            patch = patch with { Options = options.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal) };
        }

        return null;
    }

    private static IResult Json(int statusCode, Connection connection)
        => ManagementResults.Json(statusCode, Body(connection), DynRegJsonContext.Default.ManagementConnectionBody);

    private static ManagementConnectionBody Body(Connection connection) => new()
    {
        Id = connection.Id,
        Name = connection.Name,
        Strategy = connection.Strategy,
        IsDomainConnection = connection.IsDomainConnection,
        EnabledClients = connection.EnabledClients,
        Options = connection.Options,
    };

    private static IResult NotFound() => ManagementResults.NotFound("The connection does not exist", ManagementResults.InexistentConnection);
}
