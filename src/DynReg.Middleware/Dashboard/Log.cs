using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Dashboard;

/// <summary>Dashboard log lines; event ids 6000-6099. Changes themselves are audited by <c>ManagementLog</c>.</summary>
internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Warning, "Dashboard post to {Path} by {Actor} refused: {Reason}.")]
    public static partial void PostRefused(ILogger logger, string path, string? actor, string reason);
}
