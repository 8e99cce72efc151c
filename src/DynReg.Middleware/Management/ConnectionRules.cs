using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Management;

/// <summary>
/// The rules a connection keeps (Auth0's connection schema: name, strategy, enabled clients), in one
/// pure place, as <see cref="Clients.ClientRules"/> is for clients. The endpoints only read JSON
/// types; <see cref="ConnectionService"/> checks these once per request.
/// </summary>
internal static class ConnectionRules
{
    public const int MaxNameLength = 128;
    public const int MaxEnabledClients = 1000;

    public static readonly string NameRule = $"name is required: 1 to {MaxNameLength} letters, digits, '-' or '_', starting and ending with a letter or digit";
    public static readonly string StrategyRule = "strategy is required and must be a non-empty string";
    public static readonly string EnabledClientsRule = "enabled_clients must be an array of client ids";

    /// <summary>Null when the whole <paramref name="connection"/> may be stored; else the rule it breaks, in Auth0's words.</summary>
    public static string? Validate(Connection connection)
        => (IsValidName(connection.Name) ? null : NameRule)
            ?? (connection.Strategy is { Length: > 0 and <= MaxNameLength } ? null : StrategyRule)
            ?? CheckEnabledClients(connection.EnabledClients);

    /// <summary>
    /// Null when the members <paramref name="patch"/> sets may be stored. Name and strategy never change
    /// after creation (Auth0), and no rule ties the members a patch sets to each other, so a valid stored
    /// connection with a valid patch applied is valid as a whole.
    /// </summary>
    public static string? Check(ConnectionPatch patch)
        => patch.EnabledClients is null ? null : CheckEnabledClients(patch.EnabledClients);

    // Auth0's connection-name rule.
    private static bool IsValidName(string? name)
        => name is { Length: > 0 and <= MaxNameLength }
            && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string? CheckEnabledClients(IReadOnlyList<string> clients)
        => clients.Count > MaxEnabledClients ? EnabledClientsRule : null;
}
