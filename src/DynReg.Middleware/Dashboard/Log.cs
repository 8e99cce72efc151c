using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Dashboard;

/// <summary>Dashboard log lines; event ids 7000-7099 (<see cref="Hosting.EventIds"/>). Changes themselves are audited by <c>ManagementLog</c>.</summary>
internal static partial class Log
{
    [LoggerMessage(Hosting.EventIds.Dashboard, LogLevel.Warning, "Dashboard post to {Path} by {Actor} refused: {Reason}.")]
    public static partial void PostRefused(ILogger logger, string path, string? actor, string reason);
}
