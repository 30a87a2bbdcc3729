namespace MicroDemo.Gateway.Distributed;

/// <summary>
/// Where the state that replicas share lives, bound from <c>Gateway:Redis</c>. Without a configuration every
/// replica keeps its rate-limit counters and cache to itself, as one gateway always did. Read once at startup.
/// </summary>
public sealed record RedisOptions
{
    public const string SectionName = "Gateway:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>redis:6379,password=…</c>.</summary>
    public string? Configuration { get; init; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);
}
