namespace MicroDemo.ServiceDefaults.Data;

/// <summary>Where a service keeps its SQLite file. Bound from the <c>Database</c> configuration section.</summary>
public sealed record DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>The file, absolute or relative to the content root; empty means <c>data/{service name}.db</c>.</summary>
    public string Path { get; init; } = "";
}
