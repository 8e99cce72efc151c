using System.Security.Cryptography;
using DynReg.Middleware.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>
/// When the host added no signing key, every instance must still sign with the same one: the
/// first instance to start generates an RSA key and stores it with SET NX (only if absent);
/// every instance, that one included, then reads back whatever key won and signs with it.
/// Called by the provider's start-up step, so host-supplied keys always take precedence and the
/// per-machine development key file is not used.
/// </summary>
internal sealed class RedisSigningKeySource(
    RedisConnection redis,
    RedisKeys keys,
    IOptions<RedisStoreOptions> redisOptions,
    ILogger<RedisSigningKeySource>? logger = null) : ISigningKeySource
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<IReadOnlyList<RSA>> LoadAsync(CancellationToken cancellationToken)
    {
        if (!redisOptions.Value.ShareGeneratedSigningKey)
        {
            return [];
        }

        var db = await redis.GetDatabaseAsync(cancellationToken);
        var pem = await db.StringGetAsync(keys.SigningKey);
        if (pem.IsNull)
        {
            using var generated = RSA.Create(2048);
            if (await db.StringSetAsync(keys.SigningKey, generated.ExportPkcs8PrivateKeyPem(), when: When.NotExists))
            {
                Log.SigningKeyGenerated(_logger);
            }

            pem = await db.StringGetAsync(keys.SigningKey);
        }

        var key = RSA.Create();
        key.ImportFromPem((string)pem!);
        Log.SharedSigningKeyInUse(_logger);
        return [key];
    }
}
