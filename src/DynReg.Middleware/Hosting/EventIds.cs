namespace DynReg.Middleware.Hosting;

/// <summary>
/// The one table of log event-id ranges, for this package and its store packages: each class
/// that logs owns one range, and every id is used once (a test reads every
/// <c>[LoggerMessage]</c> of both assemblies against this table). Ids are stable: hosts filter
/// and alert on them, so a new line takes a new id and an old id is never reused.
/// </summary>
internal static class EventIds
{
    /// <summary>The range each logging class owns, by the class's full name.</summary>
    public static readonly IReadOnlyList<EventIdRange> Ranges =
    [
        new("DynReg.Middleware.Hosting.Log", 100, 199),
        new("DynReg.Middleware.Registration.Log", 1000, 1099),
        new("DynReg.Middleware.Management.ManagementLog", 2000, 2099),
        new("DynReg.Middleware.Tokens.Log", 3000, 3099),
        new("DynReg.Middleware.Authorization.Log", 4000, 4099),
        new("DynReg.Middleware.Login.Log", 5000, 5099),
        new("DynReg.Middleware.Redis.Log", 6000, 6099),
        new("DynReg.Middleware.Dashboard.Log", Dashboard, Dashboard + 99),
        new("DynReg.Middleware.Stores.StaleClientCleanup", Stores, Stores + 99),
    ];

    /// <summary>First id of the dashboard's range.</summary>
    public const int Dashboard = 7000;

    /// <summary>First id of the stores' own background work (the stale-client sweep).</summary>
    public const int Stores = 8000;
}

/// <summary>The event ids <see cref="Owner"/> may use, <see cref="First"/> to <see cref="Last"/> inclusive.</summary>
internal sealed record EventIdRange(string Owner, int First, int Last);
