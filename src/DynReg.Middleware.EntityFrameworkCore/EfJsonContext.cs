using System.Text.Json.Serialization;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>
/// How records are kept in their JSON column: camelCase, enums by name (reordering an enum never
/// changes a stored value), source-generated.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Client))]
[JsonSerializable(typeof(Connection))]
[JsonSerializable(typeof(TenantSettings))]
internal sealed partial class EfJsonContext : JsonSerializerContext;
