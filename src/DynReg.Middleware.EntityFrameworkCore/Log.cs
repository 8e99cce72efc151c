using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>EF Core store log lines; event ids 6100-6199. Never a stored value.</summary>
internal static partial class Log
{
    [LoggerMessage(6100, LogLevel.Debug, "Deleted {Count} expired protocol state rows.")]
    public static partial void ExpiredStateDeleted(ILogger logger, int count);

    [LoggerMessage(6101, LogLevel.Warning, "Could not delete expired protocol state; the next run tries again.")]
    public static partial void CleanupFailed(ILogger logger, Exception exception);

    [LoggerMessage(6102, LogLevel.Information, "Generated the shared signing key and stored it in the database.")]
    public static partial void SigningKeyGenerated(ILogger logger);

    [LoggerMessage(6103, LogLevel.Information, "Signing with the shared key stored in the database. Add a key with AddSigningKey(...) to use your own.")]
    public static partial void SharedSigningKeyInUse(ILogger logger);

    [LoggerMessage(6104, LogLevel.Information, "Applied {Count} database migrations.")]
    public static partial void MigrationsApplied(ILogger logger, int count);
}
