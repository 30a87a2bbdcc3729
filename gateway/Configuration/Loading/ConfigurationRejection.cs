namespace MicroDemo.Gateway.Configuration;

/// <summary>A configuration change that was refused: where it came from and why.</summary>
public sealed record ConfigurationRejection(string Origin, IReadOnlyList<ConfigurationError> Errors);
