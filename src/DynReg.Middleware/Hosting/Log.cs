using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Hosting;

/// <summary>Hosting log lines; event ids 100-199.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Warning, "Web clients may register http loopback redirect URIs (Registration.AllowHttpLoopbackRedirectUrisForWebClients). Use this in development only.")]
    public static partial void HttpLoopbackRedirectUrisAllowed(ILogger logger);

    [LoggerMessage(101, LogLevel.Warning, "Tokens are signed with a development key kept in a file. Configure a key with AddSigningKey(...) for production.")]
    public static partial void DevelopmentSigningKeyInUse(ILogger logger);

    [LoggerMessage(102, LogLevel.Information, "Seeded connection {ConnectionName} ({ConnectionId}).")]
    public static partial void ConnectionSeeded(ILogger logger, string connectionName, string connectionId);

    [LoggerMessage(103, LogLevel.Information, "Refused a plain-HTTP request to {Path}: this issuer requires TLS.")]
    public static partial void TlsRequired(ILogger logger, string path);

    [LoggerMessage(104, LogLevel.Warning, "A store is unavailable; answered {Path} with 503.")]
    public static partial void StoreUnavailable(ILogger logger, string path, Exception exception);

    [LoggerMessage(105, LogLevel.Information, "Refused a request to {Path}: its query string has {Length} characters, more than {Limit}.")]
    public static partial void QueryStringTooLong(ILogger logger, string path, int length, int limit);

    [LoggerMessage(106, LogLevel.Warning, "The in-memory stores are in use in Production: every client, connection, consent and code is lost when the process restarts. Add durable stores (AddSqliteStores, AddPostgreSqlStores or AddRedisStores).")]
    public static partial void InMemoryStoresInProduction(ILogger logger);
}
