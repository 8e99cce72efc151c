using System.Security.Cryptography;

namespace DynReg.Middleware.Protocol;

/// <summary>Identifiers and secrets from the operating system's cryptographic random source.</summary>
internal static class SecureRandom
{
    private const string AlphanumericCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Alphanumeric, so the value is URL-safe and needs no escaping anywhere (~5.95 bits a character).</summary>
    public static string Alphanumeric(int length) => RandomNumberGenerator.GetString(AlphanumericCharacters, length);

    /// <summary>base64url of <paramref name="byteCount"/> random bytes: 8 bits of entropy a byte.</summary>
    public static string Base64Url(int byteCount)
    {
        Span<byte> bytes = stackalloc byte[byteCount];
        RandomNumberGenerator.Fill(bytes);
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }
}
