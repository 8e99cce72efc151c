using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Management;

/// <summary>
/// Audit lines of every change to tenant settings, connections and clients, whichever surface
/// made it (<c>/api/v2</c> or the dashboard); event ids 2000-2099. Who (the token's <c>sub</c>
/// or the dashboard user's name), through which channel, and what; never a secret.
/// </summary>
internal sealed partial class ManagementLog
{
    [LoggerMessage(2000, LogLevel.Information, "Tenant settings updated by {Actor} via {Channel}.")]
    public static partial void TenantSettingsUpdated(ILogger logger, string? actor, string channel);

    [LoggerMessage(2001, LogLevel.Information, "Connection {ConnectionId} created by {Actor} via {Channel}.")]
    public static partial void ConnectionCreated(ILogger logger, string connectionId, string? actor, string channel);

    [LoggerMessage(2002, LogLevel.Information, "Connection {ConnectionId} updated by {Actor} via {Channel}.")]
    public static partial void ConnectionUpdated(ILogger logger, string connectionId, string? actor, string channel);

    [LoggerMessage(2003, LogLevel.Information, "Connection {ConnectionId} deleted by {Actor} via {Channel}.")]
    public static partial void ConnectionDeleted(ILogger logger, string connectionId, string? actor, string channel);

    [LoggerMessage(2004, LogLevel.Information, "Client {ClientId} updated by {Actor} via {Channel}.")]
    public static partial void ClientUpdated(ILogger logger, string clientId, string? actor, string channel);

    [LoggerMessage(2005, LogLevel.Information, "Client {ClientId} deleted by {Actor} via {Channel}.")]
    public static partial void ClientDeleted(ILogger logger, string clientId, string? actor, string channel);

    [LoggerMessage(2006, LogLevel.Information, "Secret of client {ClientId} rotated by {Actor} via {Channel}.")]
    public static partial void ClientSecretRotated(ILogger logger, string clientId, string? actor, string channel);
}
