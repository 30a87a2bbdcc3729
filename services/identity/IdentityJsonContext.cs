using System.Text.Json.Serialization;
using MicroDemo.Identity.Discovery;
using MicroDemo.Identity.Keys;
using MicroDemo.Identity.Token;

namespace MicroDemo.Identity;

/// <summary>snake_case JSON, as OAuth and JOSE name their fields.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(TokenErrorResponse))]
[JsonSerializable(typeof(DiscoveryDocument))]
[JsonSerializable(typeof(JsonWebKeySetDocument))]
[JsonSerializable(typeof(StoredKeySet))]
internal sealed partial class IdentityJsonContext : JsonSerializerContext;
