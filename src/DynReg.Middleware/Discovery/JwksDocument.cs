using System.Text.Json.Serialization;

namespace DynReg.Middleware.Discovery;

/// <summary>
/// RFC 7517 §5 key set. Its own type with only public RSA members, so no private part
/// (<c>d</c>, <c>p</c>, <c>q</c>, …) can ever be serialised by accident.
/// </summary>
internal sealed record JwksDocument([property: JsonPropertyName("keys")] IReadOnlyList<PublicRsaJwk> Keys);

internal sealed record PublicRsaJwk(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n")] string N,
    [property: JsonPropertyName("e")] string E);
