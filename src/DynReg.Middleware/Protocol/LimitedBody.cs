using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Protocol;

/// <summary>
/// Reads a request body of bounded size: a declared length over the limit is refused before a
/// byte is read, and an undeclared (chunked) body is read only up to one byte past the limit.
/// </summary>
internal static class LimitedBody
{
    /// <summary>
    /// Reads the body into <paramref name="buffer"/>, whose length is the limit plus one.
    /// Returns the body's length, or null when it is larger than the limit.
    /// </summary>
    public static async Task<int?> ReadAsync(HttpRequest request, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var limit = buffer.Length - 1;
        if (request.ContentLength > limit)
        {
            return null;
        }

        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer[length..], cancellationToken)) > 0)
        {
            length += read;
        }

        return length > limit ? null : length;
    }
}
