using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// When the host added no signing key, every instance on the database must sign with the same one:
/// the first to start inserts a generated RSA key (the primary key refuses a second insert), and
/// every instance, that one included, reads back whichever key won. Options are built before any
/// hosted service starts, so this runs there, after the schema step; host-supplied keys win.
/// </summary>
internal sealed class EfSigningKeySetup<TContext>(
    ContextSource<TContext> contexts,
    DatabaseStartup<TContext> database,
    TimeProvider time,
    IOptions<EntityFrameworkCoreStoreOptions> storeOptions,
    ILogger<EfSigningKeySetup<TContext>> logger) : IPostConfigureOptions<DynamicRegistrationOptions> where TContext : DbContext
{
    public void PostConfigure(string? name, DynamicRegistrationOptions options)
    {
        if (name != Options.DefaultName || options.SigningKeys.Keys.Count > 0 || !storeOptions.Value.ShareGeneratedSigningKey)
        {
            return;
        }

        // Options are built synchronously, once per host, at start-up.
        var pem = LoadOrCreateAsync(CancellationToken.None).GetAwaiter().GetResult();
        var key = RSA.Create();
        key.ImportFromPem(pem);
        options.SigningKeys.Keys.Add(key);
        Log.SharedSigningKeyInUse(logger);
    }

    public async Task<string> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        await database.EnsureReadyAsync(cancellationToken);
        return await contexts.RunAsync(async context =>
        {
            var keys = context.Set<SigningKeyRow>();
            if (await keys.AsNoTracking().Where(k => k.Id == SigningKeyRow.SharedId).Select(k => k.Pem).FirstOrDefaultAsync(cancellationToken) is { } stored)
            {
                return stored;
            }

            using var generated = RSA.Create(2048);
            keys.Add(new SigningKeyRow { Id = SigningKeyRow.SharedId, Pem = generated.ExportPkcs8PrivateKeyPem(), CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds() });
            try
            {
                await context.SaveChangesAsync(cancellationToken);
                Log.SigningKeyGenerated(logger);
            }
            catch (DbUpdateException exception) when (EfFailure.UniqueViolation(exception) is not null)
            {
                // Another instance stored its key first: that one is the shared key.
            }

            return await keys.AsNoTracking().Where(k => k.Id == SigningKeyRow.SharedId).Select(k => k.Pem).FirstAsync(cancellationToken);
        }, cancellationToken);
    }
}
