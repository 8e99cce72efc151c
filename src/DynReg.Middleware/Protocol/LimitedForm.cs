using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DynReg.Middleware.Protocol;

/// <summary>
/// Reads a form post of ours (login, callback, consent, <c>POST /authorize</c>) within bounds: a
/// declared length over <see cref="MaxBodyBytes"/> is refused unread, and the form reader's own
/// limits (keys, values, count) are tight, so an undeclared (chunked) body is bounded too. A
/// form past them is "no form" to the caller, never an exception (a 500).
/// </summary>
internal static class LimitedForm
{
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly FormOptions Limits = new()
    {
        ValueCountLimit = 64,
        KeyLengthLimit = 256,
        ValueLengthLimit = MaxBodyBytes,
        BufferBody = false,
        MultipartBodyLengthLimit = MaxBodyBytes,
        MultipartHeadersLengthLimit = 4 * 1024,
        MultipartHeadersCountLimit = 8,
    };

    /// <summary>The form, or null when it is not a form or exceeds the limits.</summary>
    public static async Task<IFormCollection?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        try
        {
            return await request.ReadFormAsync(Limits, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
