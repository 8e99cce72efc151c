using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DynReg.Middleware.Benchmarks.Baseline;

/// <summary>
/// The least honest equivalent of open registration, as a yardstick: read the name and the
/// redirect URIs, make an id and a secret, keep a SHA-256 of the secret, store, answer.
/// No validation beyond the JSON shape, no options, no logging. Shared by the baseline web
/// app and the in-process benchmark, so both measure the same thing.
/// </summary>
internal static class BaselineRegistration
{
    private const string IdCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Registers the client in <paramref name="request"/>, or returns null when it is not an object with string members.</summary>
    public static BaselineResponse? Register(JsonElement request, ConcurrentDictionary<string, BaselineClient> store, TimeProvider time)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? clientName = null;
        var redirectUris = new List<string>();
        foreach (var member in request.EnumerateObject())
        {
            if (member.NameEquals("client_name") && member.Value.ValueKind == JsonValueKind.String)
            {
                clientName = member.Value.GetString();
            }
            else if (member.NameEquals("redirect_uris") && member.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var uri in member.Value.EnumerateArray())
                {
                    if (uri.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    redirectUris.Add(uri.GetString()!);
                }
            }
        }

        Span<byte> secretBytes = stackalloc byte[48];
        RandomNumberGenerator.Fill(secretBytes);
        var secret = Base64Url.EncodeToString(secretBytes);
        var secretHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        var issuedAt = time.GetUtcNow().ToUnixTimeSeconds();

        string clientId;
        do
        {
            clientId = RandomNumberGenerator.GetString(IdCharacters, 32);
        }
        while (!store.TryAdd(clientId, new BaselineClient(clientId, secretHash, clientName, redirectUris, issuedAt)));

        return new BaselineResponse(clientId, secret, issuedAt, 0, clientName, redirectUris);
    }
}

internal sealed record BaselineClient(string ClientId, string SecretHash, string? ClientName, IReadOnlyList<string> RedirectUris, long CreatedAt);

internal sealed record BaselineResponse(
    string ClientId,
    string ClientSecret,
    long ClientIdIssuedAt,
    long ClientSecretExpiresAt,
    string? ClientName,
    IReadOnlyList<string> RedirectUris);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BaselineResponse))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
