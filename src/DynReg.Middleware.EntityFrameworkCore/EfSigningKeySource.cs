using System.Security.Cryptography;
using DynReg.Middleware.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// When the host added no signing key, every instance on the database must sign with the same one:
/// the first to start inserts a generated RSA key (the primary key refuses a second insert), and
/// every instance, that one included, reads back whichever key won. Called by the provider's start-up
/// step, after the schema step; host-supplied keys win.
/// </summary>
internal sealed class EfSigningKeySource<TContext>(
    ContextSource<TContext> contexts,
    DatabaseStartup<TContext> database,
    TimeProvider time,
    IOptions<EntityFrameworkCoreStoreOptions> storeOptions,
    ILogger<EfSigningKeySource<TContext>> logger) : ISigningKeySource where TContext : DbContext
{
    public async Task<IReadOnlyList<RSA>> LoadAsync(CancellationToken cancellationToken)
    {
        if (!storeOptions.Value.ShareGeneratedSigningKey)
        {
            return [];
        }

        var pem = await LoadOrCreateAsync(cancellationToken);
        var key = RSA.Create();
        key.ImportFromPem(pem);
        Log.SharedSigningKeyInUse(logger);
        return [key];
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
