namespace MicroDemo.Gateway.Configuration;

/// <summary>Outcome of loading, reloading or replacing the configuration.</summary>
public sealed record ConfigurationUpdateResult(
    GatewayConfiguration? Configuration,
    IReadOnlyList<ConfigurationError> Errors,
    IReadOnlyList<string> Warnings)
{
    public bool Succeeded => Configuration is not null && Errors.Count == 0;

    public static ConfigurationUpdateResult Failed(params ConfigurationError[] errors) => new(null, errors, []);
}

/// <summary>Thrown at startup when the configuration cannot be used; carries the full error list.</summary>
public sealed class GatewayConfigurationException(IReadOnlyList<ConfigurationError> errors)
    : Exception(Describe(errors))
{
    public IReadOnlyList<ConfigurationError> Errors { get; } = errors;

    public static string Describe(IReadOnlyList<ConfigurationError> errors) =>
        $"The gateway configuration is invalid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):"
        + string.Concat(errors.Select(e => Environment.NewLine + "  - " + e));
}
