using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// Canonical serialisation of an effective entry. Dictionaries and sets are sorted collections, so equal
/// options always serialise to equal text regardless of the order they were written in the file.
/// </summary>
internal static class Fingerprint
{
    private static readonly JsonSerializerOptions CanonicalOptions = new()
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
        // Serialisation only: "required" is about construction, and ignored members cannot honour it.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers = { typeInfo => typeInfo.Properties.ToList().ForEach(property => property.IsRequired = false) },
        },
    };

    public static string Of<T>(T entry) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, CanonicalOptions))));
}
