using DynReg.Middleware.Protocol;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Management;

/// <summary>
/// Reads a Management API body: a JSON object of at most 64 KiB with no repeated members.
/// Members are then checked one by one against the resource's allowed set, so a body that
/// fails anywhere changes nothing.
/// </summary>
internal static class ManagementBody
{
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<(JsonDocument? Document, IResult? Error)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ManagementResults.BadBody("Content-Type must be application/json"));
        }

        var buffer = new byte[MaxBodyBytes + 1];
        if (await LimitedBody.ReadAsync(request, buffer, cancellationToken) is not { } length)
        {
            return (null, ManagementResults.Error(StatusCodes.Status413PayloadTooLarge, $"The body must not exceed {MaxBodyBytes} bytes.", ManagementResults.InvalidBody));
        }

        try
        {
            var document = JsonDocument.Parse(buffer.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
            var kind = document.RootElement.ValueKind;
            if (kind != JsonValueKind.Object)
            {
                // Read the kind before disposing: a disposed document throws.
                document.Dispose();
                return (null, ManagementResults.BadBody("Expected type object but found type " + Describe(kind)));
            }

            return (document, null);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: the duplicate-member check meets an escaped lone surrogate
            // in a member name ("\ud800"), which is not a string (RFC 8259 §8.2): bad input, never a 500.
            return (null, ManagementResults.BadBody("Invalid JSON"));
        }
    }

    /// <summary>The first member not in <paramref name="allowed"/>, if any (Auth0: "Additional properties not allowed").</summary>
    public static string? FirstUnknownMember(JsonElement element, params string[] allowed)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                return property.Name;
            }
        }

        return null;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };

    /// <summary>A string value, or null when the element is not a valid string.</summary>
    public static string? AsString(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>An array of strings, or null when the element is anything else.</summary>
    public static List<string>? AsStringArray(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var values = new List<string>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (AsString(item) is not { } value)
            {
                return null;
            }

            if (!values.Contains(value, StringComparer.Ordinal))
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>Auth0 paging: zero-based <c>page</c>, <c>per_page</c> 1-100 (default 50), <c>include_totals</c>.</summary>
    public static (int Page, int PerPage, bool IncludeTotals, IResult? Error) ReadPaging(HttpRequest request)
    {
        var query = request.Query;
        var page = 0;
        var perPage = 50;
        if (query.TryGetValue("page", out var pageValue) && (!int.TryParse(pageValue, out page) || page < 0))
        {
            return (0, 0, false, QueryError("page must be a non-negative integer"));
        }

        if (query.TryGetValue("per_page", out var perPageValue) && (!int.TryParse(perPageValue, out perPage) || perPage is < 1 or > 100))
        {
            return (0, 0, false, QueryError("per_page must be an integer from 1 to 100"));
        }

        var includeTotals = false;
        if (query.TryGetValue("include_totals", out var totalsValue) && !bool.TryParse(totalsValue, out includeTotals))
        {
            return (0, 0, false, QueryError("include_totals must be true or false"));
        }

        return (page, perPage, includeTotals, null);
    }

    public static IResult QueryError(string detail)
        => ManagementResults.Error(StatusCodes.Status400BadRequest, $"Query validation error: '{detail}'.", ManagementResults.InvalidQueryString);
}
