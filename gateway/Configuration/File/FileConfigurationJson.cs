using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// System.Text.Json settings that read <c>ocelot.json</c> as leniently as Ocelot's
/// <c>IConfiguration</c> binding does: case-insensitive names, comments, trailing commas,
/// scalars written as strings (<c>"Port": "80"</c>, <c>"UseProxy": "true"</c>) and unknown
/// properties ignored. Unlike the configuration binder it keeps line numbers for errors.
/// </summary>
public static class FileConfigurationJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            Converters = { new LenientBooleanConverter(), new LenientStringConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Accepts <c>true</c>, <c>false</c> and their string spellings in any case.</summary>
    private sealed class LenientBooleanConverter : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.String when bool.TryParse(reader.GetString(), out var value) => value,
                _ => throw new JsonException("Expected true or false."),
            };

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) =>
            writer.WriteBooleanValue(value);
    }

    /// <summary>Accepts numbers and booleans where a string is expected (<c>"DownstreamHttpVersion": 2.0</c>).</summary>
    private sealed class LenientStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => bool.TrueString.ToLowerInvariant(),
                JsonTokenType.False => bool.FalseString.ToLowerInvariant(),
                JsonTokenType.Null => null,
                _ => throw new JsonException("Expected a string."),
            };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);
    }

    /// <summary>
    /// Parses one configuration file. Syntax and type errors come back as one error naming the file,
    /// line and JSON path, never as an exception.
    /// </summary>
    public static FileConfiguration? Parse(string json, string fileName, ICollection<ConfigurationError> errors)
    {
        try
        {
            var configuration = JsonSerializer.Deserialize<FileConfiguration>(json, Options);
            if (configuration is null)
            {
                errors.Add(new ConfigurationError(fileName, "(file)", "(root)", "the file must contain a JSON object, not null"));
            }

            return configuration;
        }
        catch (JsonException exception)
        {
            var location = exception.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, position {(exception.BytePositionInLine ?? 0) + 1}")
                : "(file)";
            var key = exception.Path is null or "" or "$" ? "(root)" : exception.Path;
            errors.Add(new ConfigurationError(fileName, location, key, DescribeJsonError(exception)));
            return null;
        }
    }

    // STJ appends "Path: … | LineNumber: … | BytePositionInLine: …" to its messages; the error
    // already carries those as separate fields, so only the human-readable reason is kept.
    private static string DescribeJsonError(JsonException exception)
    {
        var message = exception.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut >= 0)
            {
                message = message[..cut];
            }
        }

        return message.Trim().TrimEnd('.') is { Length: > 0 } reason ? reason : "invalid JSON";
    }
}
