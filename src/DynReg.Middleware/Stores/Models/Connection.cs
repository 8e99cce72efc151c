namespace DynReg.Middleware.Stores.Models;

/// <summary>
/// An identity source users sign in through (Auth0: connection), such as the database
/// connection <c>Username-Password-Authentication</c>.
/// </summary>
public sealed record Connection
{
    /// <summary><c>con_</c> followed by 16 random characters, as Auth0 has it.</summary>
    public required string Id { get; init; }

    /// <summary>Unique across the tenant.</summary>
    public required string Name { get; init; }

    /// <summary>Auth0 strategy name, for example <c>auth0</c> for a username/password database.</summary>
    public string Strategy { get; init; } = "auth0";

    /// <summary>Domain connections are the only ones third-party (dynamically registered) clients may use.</summary>
    public bool IsDomainConnection { get; init; }

    /// <summary>First-party clients that may use this connection.</summary>
    public IReadOnlyList<string> EnabledClients { get; init; } = [];

    /// <summary>Strategy-specific options: each member's value kept as its raw JSON text, so it round-trips unchanged.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>When the connection was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the connection last changed; null if never.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}
