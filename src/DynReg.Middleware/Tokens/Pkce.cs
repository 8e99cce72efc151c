using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.Tokens;

/// <summary>RFC 7636 §4.6 verification, S256 only.</summary>
internal static class Pkce
{
    /// <summary>Null when the verifier fits the challenge (or neither is present); else the reason.</summary>
    public static string? Check(string? challenge, string? verifier)
    {
        if (challenge is null)
        {
            // RFC 9700 §4.8.2: a verifier without a challenge is a downgrade attempt (T14).
            return verifier is null ? null : "code_verifier was sent but the authorization request had no code_challenge.";
        }

        if (verifier is null)
        {
            return "code_verifier is required.";
        }

        // §4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~].
        if (verifier.Length is < 43 or > 128 || !verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
        {
            return "code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~'.";
        }

        var computed = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge))
            ? null
            : "code_verifier does not match the code_challenge.";
    }
}
