using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>
/// Every key and channel the Redis stores use, in one place. All start with the configured
/// prefix; a record's own id ends its key, so ids need no escaping.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>A client as JSON (string).</summary>

    public RedisKey Client(string clientId) => Prefix + "clients:record:" + clientId;

    /// <summary>Client ids scored by creation sequence (sorted set): listing and paging without KEYS or SCAN.</summary>
    public RedisKey ClientOrder => Prefix + "clients:order";

    /// <summary>Ids of dynamically registered clients (set): the registration ceiling counts it with SCARD.</summary>
    public RedisKey DynamicClients => Prefix + "clients:dynamic";

    /// <summary>The counter (INCR) that numbers clients in creation order.</summary>
    public RedisKey ClientSequence => Prefix + "clients:sequence";

    /// <summary>Pub/sub channel: the id of a client that was updated or deleted.</summary>
    public RedisChannel ClientChanged => RedisChannel.Literal(Prefix + "clients:changed");

    /// <summary>A connection as JSON (string).</summary>
    public RedisKey Connection(string id) => Prefix + "connections:record:" + id;

    public RedisKey ConnectionOrder => Prefix + "connections:order";

    public RedisKey ConnectionSequence => Prefix + "connections:sequence";

    /// <summary>The unique-name index (hash): upper-cased name → connection id.</summary>
    public RedisKey ConnectionNames => Prefix + "connections:names";

    /// <summary>The field of <see cref="ConnectionNames"/> for a name: names are unique ignoring case.</summary>
    public static RedisValue ConnectionNameField(string name) => name.ToUpperInvariant();

    /// <summary>The tenant settings as JSON (string); absent until first changed.</summary>
    public RedisKey TenantSettings => Prefix + "tenant:settings";

    /// <summary>The scopes one user granted one client for one audience (set).</summary>
    public RedisKey Consent(string subject, string clientId, string audience)
        => Prefix + "consents:" + Uri.EscapeDataString(subject) + ":" + Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(audience);

    /// <summary>Short-lived protocol state (string with an expiry).</summary>
    public RedisKey ProtocolState(string key) => Prefix + "state:" + key;

    /// <summary>The generated signing key shared by every instance (PKCS#8 PEM), written once.</summary>
    public RedisKey SigningKey => Prefix + "signing-key";

    /// <summary>ASP.NET Core Data Protection's key ring (list of XML elements).</summary>
    public RedisKey DataProtectionKeys => Prefix + "data-protection-keys";
}
