namespace MicroDemo.Orders.UsersService;

/// <summary>How orders reaches the users service. Bound from the <c>UsersService</c> configuration section.</summary>
public sealed record UsersServiceOptions
{
    public const string SectionName = "UsersService";

    /// <summary>The Consul service name to look up.</summary>
    public string Name { get; init; } = "users";

    /// <summary>One call to one instance may take this long before it counts as a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts after the first; each may go to a different healthy instance.</summary>
    public int MaxRetryAttempts { get; init; } = 2;

    /// <summary>The first retry waits about this long, the next twice as long, and so on (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}
