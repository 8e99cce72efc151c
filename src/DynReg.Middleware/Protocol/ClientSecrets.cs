using System.Security.Cryptography;
using System.Text;

namespace DynReg.Middleware.Protocol;

/// <summary>
/// Client secrets: made here, shown once, kept only as a hash. The secrets carry 384 bits
/// of entropy, so a fast hash (SHA-256) is enough: a slow password hash only helps against
/// guessable inputs. Comparison runs in constant time.
/// </summary>
internal static class ClientSecrets
{
    private const string Prefix = "sha256:";

    /// <summary>48 random bytes, base64url: 64 characters, 384 bits (RFC 7591 §3.2.1 asks for unguessable).</summary>
    public static string Generate() => SecureRandom.Base64Url(48);

    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Prefix + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>True when <paramref name="presented"/> hashes to <paramref name="storedHash"/>, compared in constant time.</summary>
    public static bool Verify(string? presented, string? storedHash)
    {
        if (presented is null || storedHash is null || !storedHash.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        if (!Convert.TryFromBase64String(storedHash[Prefix.Length..], expected, out var written) || written != expected.Length)
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
