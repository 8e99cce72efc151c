using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>
/// When the host added no signing key, every instance must still sign with the same one: the
/// first instance to start generates an RSA key and stores it with SET NX (only if absent);
/// every instance, that one included, then reads back whatever key won and signs with it.
/// Runs as a post-configure step, so host-supplied keys always take precedence and the
/// per-machine development key file is not used.
/// </summary>
internal sealed class RedisSigningKeySetup(
    RedisConnection redis,
    RedisKeys keys,
    IOptions<RedisStoreOptions> redisOptions,
    ILogger<RedisSigningKeySetup>? logger = null) : IPostConfigureOptions<DynamicRegistrationOptions>
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public void PostConfigure(string? name, DynamicRegistrationOptions options)
    {
        if (name != Options.DefaultName || options.SigningKeys.Keys.Count > 0 || !redisOptions.Value.ShareGeneratedSigningKey)
        {
            return;
        }

        // Options are built synchronously; this runs once per host, at start-up.
        var db = redis.GetDatabase();
        var pem = db.StringGet(keys.SigningKey);
        if (pem.IsNull)
        {
            using var generated = RSA.Create(2048);
            if (db.StringSet(keys.SigningKey, generated.ExportPkcs8PrivateKeyPem(), when: When.NotExists))
            {
                Log.SigningKeyGenerated(_logger);
            }

            pem = db.StringGet(keys.SigningKey);
        }

        var key = RSA.Create();
        key.ImportFromPem((string)pem!);
        options.SigningKeys.Keys.Add(key);
        Log.SharedSigningKeyInUse(_logger);
    }
}
