using System.Globalization;
using System.Text;

namespace DynReg.Middleware.Protocol;

/// <summary>
/// A caller's value quoted in an error description. Descriptions are answered and logged, so the
/// quote is short, never cuts a surrogate pair in half, and writes control and bidirectional
/// characters as <c>\uXXXX</c> so they cannot forge a log line or reorder the text around them.
/// </summary>
internal static class QuotedValue
{
    private const int MaxQuoted = 100;

    public static string Shorten(string value)
    {
        var cut = value.Length <= MaxQuoted ? value.Length : char.IsHighSurrogate(value[MaxQuoted - 1]) ? MaxQuoted - 1 : MaxQuoted;
        var builder = new StringBuilder(cut + 1);
        foreach (var c in value.AsSpan(0, cut))
        {
            if (IsControlOrBidiOverride(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return cut < value.Length ? builder.Append('…').ToString() : builder.ToString();
    }

    public static bool IsControlOrBidiOverride(char c)
        => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
