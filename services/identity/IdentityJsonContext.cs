using System.Text.Json.Serialization;
using MicroDemo.Identity.Keys;

namespace MicroDemo.Identity;

/// <summary>The key file's JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredKeySet))]
internal sealed partial class IdentityJsonContext : JsonSerializerContext;
