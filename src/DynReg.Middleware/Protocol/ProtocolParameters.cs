using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace DynReg.Middleware.Protocol;

/// <summary>
/// Reads the parameters of a protocol POST: form-encoded (RFC 6749 §3.2) or, as Auth0 also
/// accepts, a flat JSON object of strings. A parameter given twice is an error (RFC 6749 §3.1),
/// except <c>resource</c> (RFC 8707 §2).
/// </summary>
internal static class ProtocolParameters
{
    public const int MaxBodyBytes = 16 * 1024;

    public static async Task<ParameterReadResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            return ParameterReadResult.Fail("The body must be application/x-www-form-urlencoded or application/json.");
        }

        var isForm = string.Equals(mediaType.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        var isJson = string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);
        if (!isForm && !isJson)
        {
            return ParameterReadResult.Fail("The body must be application/x-www-form-urlencoded or application/json.");
        }

        // Pooled: token requests are small and frequent; a fresh 16 KiB array each was most of their garbage.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            if (await LimitedBody.ReadAsync(request, buffer.AsMemory(0, MaxBodyBytes + 1), cancellationToken) is not { } length)
            {
                return ParameterReadResult.Fail($"The body must not exceed {MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            return isForm ? ReadForm(buffer.AsSpan(0, length)) : ReadJson(buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ParameterReadResult ReadForm(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return ParameterReadResult.Fail("The body is not valid UTF-8.");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in QueryHelpers.ParseQuery(text))
        {
            if (values.Count != 1)
            {
                // RFC 8707 §2: resource may be repeated; its values are kept together for Tokens.ResourceIndicators.
                if (name == OAuthConstants.Parameters.Resource)
                {
                    parameters[name] = string.Join(Tokens.ResourceIndicators.ValueSeparator, values.Select(v => v ?? string.Empty));
                    continue;
                }

                return ParameterReadResult.Fail($"The parameter '{name}' must not be repeated.");
            }

            parameters[name] = values[0] ?? string.Empty;
        }

        return ParameterReadResult.Ok(parameters);
    }

    private static ParameterReadResult ReadJson(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 4, AllowDuplicateProperties = false });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ParameterReadResult.Fail("The body must be a JSON object.");
            }

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    return ParameterReadResult.Fail($"The parameter '{property.Name}' must be a string.");
                }

                parameters[property.Name] = property.Value.GetString()!;
            }

            return ParameterReadResult.Ok(parameters);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return ParameterReadResult.Fail("The body is not a valid JSON object of strings.");
        }
    }
}

/// <summary>The parameters, or why they could not be read.</summary>
internal readonly record struct ParameterReadResult(IReadOnlyDictionary<string, string>? Parameters, string? Error, int StatusCode)
{
    public static ParameterReadResult Ok(IReadOnlyDictionary<string, string> parameters) => new(parameters, null, StatusCodes.Status200OK);

    public static ParameterReadResult Fail(string description, int statusCode = StatusCodes.Status400BadRequest) => new(null, description, statusCode);
}
