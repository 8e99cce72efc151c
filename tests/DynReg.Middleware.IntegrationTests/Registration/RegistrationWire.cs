using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace DynReg.Middleware.IntegrationTests.Registration;

/// <summary>
/// Assertions on what crosses the wire (STYLE: assert raw JSON names and headers, never a
/// round trip through the server's own types), and request bodies the test host's helpers can't make.
/// </summary>
internal static class RegistrationWire
{
    public const string RegisterPath = "/oidc/register";

    public const string RedirectUri = "https://app.example.com/callback";

    public const string MinimalRequest = """{"redirect_uris":["https://app.example.com/callback"]}""";

    /// <summary>RFC 7591 §3.2.1/§3.2.2, RFC 6749 §5.1: JSON and no caching, on success and on error alike.</summary>
    public static void ShouldBeNoStoreJson(this HttpResponseMessage response)
    {
        response.Content.Headers.ContentType.ShouldNotBeNull();
        response.Content.Headers.ContentType.MediaType.ShouldBe("application/json");
        response.Headers.CacheControl.ShouldNotBeNull();
        response.Headers.CacheControl.NoStore.ShouldBeTrue();
        response.Headers.Pragma.ShouldContain(p => p.Name == "no-cache");
    }

    /// <summary>A 201 with its JSON object.</summary>
    public static async Task<JsonElement> ShouldBeCreatedAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        response.ShouldBeNoStoreJson();
        using var document = JsonDocument.Parse(text);
        document.RootElement.ValueKind.ShouldBe(JsonValueKind.Object);
        return document.RootElement.Clone();
    }

    /// <summary>RFC 7591 §3.2.2: exactly <c>error</c> and a non-empty <c>error_description</c>, with the no-store headers.</summary>
    public static async Task<JsonElement> ShouldBeErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string error, string? rule = null)
    {
        var text = $"{rule} {await response.Content.ReadAsStringAsync()}";
        response.StatusCode.ShouldBe(status, text);
        response.ShouldBeNoStoreJson();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        root.ValueKind.ShouldBe(JsonValueKind.Object);
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["error", "error_description"], ignoreOrder: true);
        root.GetProperty("error").GetString().ShouldBe(error, text);
        root.GetProperty("error_description").GetString().ShouldNotBeNullOrWhiteSpace();
        return root.Clone();
    }

    public static string[] Names(this JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    public static string[] Strings(this JsonElement element, string name)
        => [.. element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    public static HttpContent Body(byte[] bytes, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType).ShouldBeTrue();
        }

        return content;
    }

    public static HttpContent Body(string text, string? contentType = "application/json") => Body(Encoding.UTF8.GetBytes(text), contentType);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A valid request whose members are followed by <paramref name="members"/>.</summary>
    public static string WithMembers(string members) => $$"""{"redirect_uris":["{{RedirectUri}}"],{{members}}}""";

    /// <summary>A JSON body of <paramref name="uriCount"/> distinct https redirect URIs.</summary>
    public static string ManyRedirectUris(int uriCount)
        => JsonSerializer.Serialize(new Dictionary<string, string[]>
        {
            ["redirect_uris"] = [.. Enumerable.Range(0, uriCount).Select(i => $"{RedirectUri}/{i}")],
        });

    /// <summary>Counts what the app reads from each request body, so a test can see a body was refused unread.</summary>
    public static void CountBodyBytes(this WebApplication app, BodyReadCounter counter)
        => app.Use((context, next) =>
        {
            counter.DeclaredLength = context.Request.ContentLength;
            context.Request.Body = new CountingStream(context.Request.Body, counter);
            return next(context);
        });
}

internal sealed class BodyReadCounter
{
    private long _bytesRead;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long? DeclaredLength { get; set; }

    public void Add(int count) => Interlocked.Add(ref _bytesRead, count);
}

/// <summary>A read-only pass-through stream that counts the bytes read.</summary>
internal sealed class CountingStream(Stream inner, BodyReadCounter counter) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        counter.Add(read);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        counter.Add(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// A body of <paramref name="length"/> bytes written in 64 KiB chunks, with no Content-Length:
/// the client must send it chunked, so the server learns its size only by reading.
/// </summary>
internal sealed class ChunkedJsonContent(long length) : HttpContent
{
    public long BytesWritten { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        // A JSON string member that never ends: valid as far as it goes.
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        var head = Encoding.UTF8.GetBytes("""{"redirect_uris":["https://app.example.com/callback"],"client_name":" """);
        await stream.WriteAsync(head);
        BytesWritten = head.Length;
        while (BytesWritten < length)
        {
            var size = (int)Math.Min(chunk.Length, length - BytesWritten);
            await stream.WriteAsync(chunk.AsMemory(0, size));
            BytesWritten += size;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    public static ChunkedJsonContent Create(long length)
    {
        var content = new ChunkedJsonContent(length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
