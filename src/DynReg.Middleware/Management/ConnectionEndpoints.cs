using System.Text.Json;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

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
    private const int MaxNameLength = 128;
    private const int ListPageSize = 100;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/connections", static async ([FromServices] IConnectionStore store, HttpContext context) =>
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
                var all = new List<Connection>();
                for (var index = 0; ; index++)
                {
                    var batch = await store.ListAsync(index, ListPageSize, context.RequestAborted);
                    all.AddRange(batch.Items);
                    if (batch.Items.Count < ListPageSize)
                    {
                        break;
                    }
                }

                var matching = all
                    .Where(c => name is null || string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
                    .Where(c => strategies.Length == 0 || strategies.Contains(c.Strategy, StringComparer.Ordinal))
                    .ToList();
                var pageItems = matching.Skip(page * perPage).Take(perPage).ToList();
                return ManagementResults.Json(StatusCodes.Status200OK, writer =>
                {
                    if (includeTotals)
                    {
                        writer.WriteStartObject();
                        writer.WriteNumber("total", matching.Count);
                        writer.WriteNumber("start", page * perPage);
                        writer.WriteNumber("limit", perPage);
                        writer.WritePropertyName("connections");
                    }

                    writer.WriteStartArray();
                    pageItems.ForEach(c => Write(writer, c));
                    writer.WriteEndArray();
                    if (includeTotals)
                    {
                        writer.WriteEndObject();
                    }
                });
            })
            .RequireScope(ManagementApi.ReadConnections);

        api.MapPost("/connections", static async (
                [FromServices] IConnectionStore store, [FromServices] TimeProvider time, [FromServices] ILogger<ManagementLog> logger, HttpContext context) =>
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

                    if (!body.TryGetProperty(Name, out var nameElement) || ManagementBody.AsString(nameElement) is not { } name || !IsValidName(name))
                    {
                        return ManagementResults.BadBody($"name is required: 1 to {MaxNameLength} letters, digits, '-' or '_', starting and ending with a letter or digit");
                    }

                    if (!body.TryGetProperty(Strategy, out var strategyElement) || ManagementBody.AsString(strategyElement) is not { Length: > 0 and <= MaxNameLength } strategy)
                    {
                        return ManagementResults.BadBody("strategy is required and must be a non-empty string");
                    }

                    var connection = new Connection
                    {
                        Id = ConnectionIds.New(),
                        Name = name,
                        Strategy = strategy,
                        CreatedAt = time.GetUtcNow(),
                    };
                    if (ReadMutableMembers(body, connection, out connection) is { } invalid)
                    {
                        return invalid;
                    }

                    var created = await store.CreateAsync(connection, context.RequestAborted);
                    if (created.Status == StoreWriteStatus.DuplicateName)
                    {
                        return ManagementResults.Error(StatusCodes.Status409Conflict, "A connection with the same name already exists", ManagementResults.ConnectionConflict);
                    }

                    ManagementLog.ConnectionCreated(logger, connection.Id, context.User.FindFirst("sub")?.Value);
                    return ManagementResults.Json(StatusCodes.Status201Created, writer => Write(writer, created.Value!));
                }
            })
            .RequireScope(ManagementApi.CreateConnections);

        api.MapGet("/connections/{id}", static async ([FromServices] IConnectionStore store, string id, HttpContext context) =>
                await store.FindByIdAsync(id, context.RequestAborted) is { } connection
                    ? ManagementResults.Json(StatusCodes.Status200OK, writer => Write(writer, connection))
                    : NotFound())
            .RequireScope(ManagementApi.ReadConnections);

        api.MapPatch("/connections/{id}", static async (
                [FromServices] IConnectionStore store, [FromServices] TimeProvider time, [FromServices] ILogger<ManagementLog> logger, string id, HttpContext context) =>
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

                    // Validate against an empty record first, so a bad body never reaches the store.
                    if (ReadMutableMembers(body, new Connection { Id = id, Name = "-" }, out _) is { } invalid)
                    {
                        return invalid;
                    }

                    var now = time.GetUtcNow();
                    var updated = await store.UpdateAsync(id, current =>
                    {
                        ReadMutableMembers(body, current, out var merged);
                        return merged with { UpdatedAt = now };
                    }, context.RequestAborted);
                    if (!updated.Succeeded)
                    {
                        return NotFound();
                    }

                    ManagementLog.ConnectionUpdated(logger, id, context.User.FindFirst("sub")?.Value);
                    return ManagementResults.Json(StatusCodes.Status200OK, writer => Write(writer, updated.Value!));
                }
            })
            .RequireScope(ManagementApi.UpdateConnections);

        api.MapDelete("/connections/{id}", static async (
                [FromServices] IConnectionStore store, [FromServices] ILogger<ManagementLog> logger, string id, HttpContext context) =>
            {
                if (!await store.DeleteAsync(id, context.RequestAborted))
                {
                    return NotFound();
                }

                ManagementLog.ConnectionDeleted(logger, id, context.User.FindFirst("sub")?.Value);

                // Auth0 answers 202 Accepted to a connection delete.
                return ManagementResults.Empty(StatusCodes.Status202Accepted);
            })
            .RequireScope(ManagementApi.DeleteConnections);
    }

    /// <summary>Applies the members a create or PATCH may set; the result is null when all are valid.</summary>
    private static IResult? ReadMutableMembers(JsonElement body, Connection current, out Connection merged)
    {
        merged = current;
        if (body.TryGetProperty(IsDomainConnection, out var domain))
        {
            if (domain.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return ManagementResults.BadBody($"Expected type boolean but found type {ManagementBody.Describe(domain.ValueKind)} at {IsDomainConnection}");
            }

            merged = merged with { IsDomainConnection = domain.GetBoolean() };
        }

        if (body.TryGetProperty(EnabledClients, out var enabled))
        {
            if (ManagementBody.AsStringArray(enabled) is not { Count: <= 1000 } clients)
            {
                return ManagementResults.BadBody($"{EnabledClients} must be an array of client ids");
            }

            merged = merged with { EnabledClients = clients };
        }

        if (body.TryGetProperty(Options, out var options))
        {
            if (options.ValueKind != JsonValueKind.Object)
            {
                return ManagementResults.BadBody($"Expected type object but found type {ManagementBody.Describe(options.ValueKind)} at {Options}");
            }

            // Kept as raw JSON per member, so any option value round-trips unchanged.
            merged = merged with { Options = options.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal) };
        }

        return null;
    }

    private static void Write(Utf8JsonWriter writer, Connection connection)
    {
        writer.WriteStartObject();
        writer.WriteString(Id, connection.Id);
        writer.WriteString(Name, connection.Name);
        writer.WriteString(Strategy, connection.Strategy);
        writer.WriteBoolean(IsDomainConnection, connection.IsDomainConnection);
        writer.WriteStartArray(EnabledClients);
        foreach (var client in connection.EnabledClients)
        {
            writer.WriteStringValue(client);
        }

        writer.WriteEndArray();
        writer.WriteStartObject(Options);
        foreach (var (key, rawJson) in connection.Options)
        {
            writer.WritePropertyName(key);
            writer.WriteRawValue(rawJson, skipInputValidation: false);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("realms");
        writer.WriteStringValue(connection.Name);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    // Auth0's connection-name rule.
    private static bool IsValidName(string name)
        => name.Length is > 0 and <= MaxNameLength
            && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static IResult NotFound() => ManagementResults.NotFound("The connection does not exist", ManagementResults.InexistentConnection);
}
