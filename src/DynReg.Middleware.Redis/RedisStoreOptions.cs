using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>
/// Where the Redis stores keep their state. Set one of <see cref="Configuration"/>,
/// <see cref="ConfigurationOptions"/> or <see cref="ConnectionMultiplexerFactory"/>.
/// </summary>
public sealed class RedisStoreOptions
{
    /// <summary>A StackExchange.Redis configuration string, for example <c>localhost:6379,abortConnect=false</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>StackExchange.Redis options; take precedence over <see cref="Configuration"/>.</summary>
    public ConfigurationOptions? ConfigurationOptions { get; set; }

    /// <summary>
    /// The host's own connection (for example one it shares with its other Redis users); takes
    /// precedence over both configuration settings. The host owns it: the stores never dispose it.
    /// </summary>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// Put before every key and channel name, so several apps can share one Redis. For Redis
    /// Cluster, make it a hash tag such as <c>{dynreg}:</c>: the stores' atomic writes touch
    /// several keys, which must then live in one slot.
    /// </summary>
    public string KeyPrefix { get; set; } = "dynreg:";

    /// <summary>
    /// How long each instance keeps a client it read in memory. Updates and deletions are announced
    /// to every instance at once (pub/sub); this duration bounds how long an instance that missed the
    /// announcement (a dropped connection) can still act on the old record: a deleted client is refused
    /// everywhere within it. <see cref="TimeSpan.Zero"/> turns the cache off. Default 5 seconds.
    /// </summary>
    public TimeSpan ClientCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many clients are cached per instance. Default 10,000.</summary>
    public int ClientCacheSize { get; set; } = 10_000;

    /// <summary>
    /// Keeps ASP.NET Core Data Protection keys in Redis, so cookies and anti-forgery tokens made by
    /// one instance are accepted by every other. Default on. Instances must also share an application
    /// name (<c>SetApplicationName</c>) when their content roots differ.
    /// </summary>
    public bool PersistDataProtectionKeys { get; set; } = true;

    /// <summary>
    /// When the host adds no signing key, one RSA key is generated once, stored in Redis and used by
    /// every instance (instead of a per-machine development key file). Default on. Anyone who can
    /// read the Redis keys can read this key: production hosts should add their own key.
    /// </summary>
    public bool ShareGeneratedSigningKey { get; set; } = true;
}
