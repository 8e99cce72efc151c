using System.Net.Sockets;
using DynReg.Middleware.Stores;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// Which database errors are an outage (the endpoints answer 503 and the request may be retried)
/// and which are a unique-index violation (a duplicate id or name, answered as such). EF Core wraps
/// the provider's exception (DbUpdateException, RetryLimitExceededException), so the chain is walked.
/// </summary>
internal static class EfFailure
{
    public const string ConnectionNameIndex = "IX_DynRegConnections_NormalizedName";

    // SQLite result codes (https://www.sqlite.org/rescode.html): BUSY and LOCKED once the busy
    // timeout ran out, IOERR, FULL, CANTOPEN (the file or its folder gone), PROTOCOL.
    private static readonly HashSet<int> SqliteOutages = [5, 6, 10, 13, 14, 15];

    public static bool IsOutage(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            var outage = current switch
            {
                // PostgreSQL: class 08 connection exceptions, 53 insufficient resources (too many
                // connections), 57P0x the server shutting down or starting
                // (https://www.postgresql.org/docs/current/errcodes-appendix.html).
                PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
                    || postgres.SqlState.StartsWith("57P0", StringComparison.Ordinal),

                // Npgsql marks a lost connection, a timeout or an exhausted pool as transient.
                NpgsqlException npgsql => npgsql.IsTransient,
                SqliteException sqlite => SqliteOutages.Contains(sqlite.SqliteErrorCode),
                SocketException or TimeoutException => true,
                _ => false,
            };
            if (outage)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The violated unique index or column, when <paramref name="exception"/> is a unique violation; else null.</summary>
    public static string? UniqueViolation(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                // 23505 unique_violation; the constraint is the unique index.
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres:
                    return postgres.ConstraintName ?? string.Empty;

                // SQLITE_CONSTRAINT_PRIMARYKEY (1555) and SQLITE_CONSTRAINT_UNIQUE (2067); the message
                // names the columns ("UNIQUE constraint failed: table.column").
                case SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 1555 or 2067 } sqlite:
                    return sqlite.Message;
            }
        }

        return null;
    }

    /// <summary>True when a unique violation is on the connection-name index (by name on PostgreSQL, by column on SQLite).</summary>
    public static bool IsOnConnectionName(string violation)
        => violation.Equals(ConnectionNameIndex, StringComparison.OrdinalIgnoreCase)
            || violation.Replace("_", string.Empty, StringComparison.Ordinal).Contains("normalizedname", StringComparison.OrdinalIgnoreCase);

    public static StoreUnavailableException Unavailable(Exception exception)
        => new("The database is unavailable: " + exception.GetType().Name + ".", exception);
}

/// <summary>
/// Lets the endpoints answer 503 for database outages met outside the stores, such as Data
/// Protection reading its key ring from the database while a cookie is protected.
/// </summary>
internal sealed class EfFailureClassifier : IStoreFailureClassifier
{
    public bool IsUnavailable(Exception exception) => EfFailure.IsOutage(exception);
}
