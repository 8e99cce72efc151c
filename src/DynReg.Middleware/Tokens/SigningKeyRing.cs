using System.Security.Cryptography;
using DynReg.Middleware.Protocol;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// The RS256 keys: the first signs, all are published, so tokens signed with a previous key
/// stay verifiable after a rotation (OpenID Connect Core §10.1.1). Each <c>kid</c> is the
/// key's RFC 7638 thumbprint, so every instance that holds the same key names it the same.
/// Resolve it only after the host started when the key comes from an <see cref="ISigningKeySource"/>.
/// </summary>
internal sealed class SigningKeyRing
{
    private const int MinimumKeySizeInBits = 2048;

    /// <summary>Built by <see cref="SigningKeyStartup"/> from the keys it loaded.</summary>
    public SigningKeyRing(IReadOnlyList<RSA> keys)
    {
        if (keys.Count == 0)
        {
            throw new InvalidOperationException("No signing key is configured.");
        }

        var securityKeys = new List<RsaSecurityKey>(keys.Count);
        var published = new List<JsonWebKey>(keys.Count);
        foreach (var rsa in keys)
        {
            if (rsa.KeySize < MinimumKeySizeInBits)
            {
                throw new InvalidOperationException($"Signing keys must have at least {MinimumKeySizeInBits} bits; one has {rsa.KeySize}.");
            }

            var publicParameters = rsa.ExportParameters(includePrivateParameters: false);
            var publicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(publicParameters));
            var kid = Base64UrlEncoder.Encode(publicJwk.ComputeJwkThumbprint());
            if (published.Exists(k => k.Kid == kid))
            {
                // The same key added twice: publish it once, so every kid names one key (RFC 7517 §4.5).
                continue;
            }

            securityKeys.Add(new RsaSecurityKey(rsa) { KeyId = kid });
            published.Add(new JsonWebKey
            {
                Kty = JsonWebAlgorithmsKeyTypes.RSA,
                Use = JsonWebKeyUseNames.Sig,
                Alg = SecurityAlgorithms.RsaSha256,
                Kid = kid,
                N = publicJwk.N,
                E = publicJwk.E,
            });
        }

        Current = new SigningCredentials(securityKeys[0], SecurityAlgorithms.RsaSha256);
        ValidationKeys = securityKeys;
        PublishedKeys = published;
    }

    /// <summary>What new tokens are signed with.</summary>
    public SigningCredentials Current { get; }

    /// <summary>Every key a token of ours may carry, for validating our own tokens.</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    /// <summary>Public halves only: what <c>/.well-known/jwks.json</c> serves.</summary>
    public IReadOnlyList<JsonWebKey> PublishedKeys { get; }
}
