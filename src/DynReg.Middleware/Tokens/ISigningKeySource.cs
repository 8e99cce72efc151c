using System.Security.Cryptography;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// Where the signing keys come from when the host added none: a store package keeps one generated
/// key in its backing service, so every instance that uses that service signs with the same key.
/// Chosen with <c>UseSigningKeySource&lt;T&gt;()</c> on the builder. The provider calls it once, from
/// its start-up step, before the server accepts requests; nothing reads it while options are built.
/// Keys added by the host (<c>AddSigningKey</c> and its siblings) always win: the source is then not called.
/// </summary>
public interface ISigningKeySource
{
    /// <summary>
    /// The keys to sign with, current first, or none when this source has nothing to offer (then the
    /// development key, if configured, is used). Throw <see cref="Stores.StoreUnavailableException"/>
    /// (or an exception an <see cref="Stores.IStoreFailureClassifier"/> recognises) while the backing
    /// service cannot be reached: start-up tries again until <see cref="SigningKeyOptions.SourceWaitTime"/> has passed.
    /// </summary>
    Task<IReadOnlyList<RSA>> LoadAsync(CancellationToken cancellationToken);
}
