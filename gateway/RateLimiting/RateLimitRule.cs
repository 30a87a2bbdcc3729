namespace MicroDemo.Gateway.RateLimiting;

/// <summary>How clients are told apart when counting requests.</summary>
public enum RateLimitPartition
{
    /// <summary>By the value of <see cref="RateLimitRule.ClientIdHeader"/> (Ocelot's behaviour).</summary>
    ClientId,

    /// <summary>By the connection's remote IP address.</summary>
    ClientIp,

    /// <summary>By a claim of the authenticated caller (<see cref="RateLimitRule.PartitionClaim"/>).</summary>
    Claim,
}

/// <summary>One route's effective rate-limit rule (route options merged with the global ones).</summary>
/// <param name="RouteKey">Identifies the route: requests matched by one route share one counter per client.</param>
/// <param name="PeriodText">The period as written in ocelot.json, for the quota message and the counter key.</param>
/// <param name="Wait">Optional ban measured from the moment the limit was first exceeded.</param>
public sealed record RateLimitRule(
    string RouteKey,
    int Limit,
    TimeSpan Period,
    string PeriodText,
    TimeSpan Wait,
    string ClientIdHeader = "Oc-Client",
    IReadOnlySet<string>? ClientWhitelist = null,
    int StatusCode = 429,
    string QuotaMessage = RateLimitRule.DefaultQuotaMessage,
    string KeyPrefix = "Ocelot.RateLimiting",
    bool EnableHeaders = true,
    RateLimitPartition PartitionBy = RateLimitPartition.ClientId,
    string PartitionClaim = "client_id")
{
    public const string DefaultQuotaMessage = "API calls quota exceeded! Maximum admitted {0} per {1}.";

    /// <summary>The counter key for one client, unique per rule so a changed rule starts fresh.</summary>
    public string CounterKey(string clientId) =>
        $"{KeyPrefix}_{clientId}:{RouteKey}_{Limit}/{PeriodText}/w{(long)Wait.TotalMilliseconds}ms";
}
