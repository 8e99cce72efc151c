using System.Text.Json.Serialization;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Redis;

/// <summary>
/// How records are kept in Redis: camelCase JSON, enums by name (so reordering an enum never
/// changes a stored value), source-generated.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Client))]
[JsonSerializable(typeof(Connection))]
[JsonSerializable(typeof(TenantSettings))]
internal sealed partial class RedisJsonContext : JsonSerializerContext;
