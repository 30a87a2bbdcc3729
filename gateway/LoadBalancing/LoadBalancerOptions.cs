namespace MicroDemo.Gateway.LoadBalancing;

/// <summary><c>LoadBalancerOptions</c> of a route, a dynamic route or <c>GlobalConfiguration</c> in <c>ocelot.json</c>.</summary>
public sealed record LoadBalancerOptions
{
    public const string NoLoadBalancerType = nameof(NoLoadBalancer);
    public const string RoundRobinType = nameof(RoundRobin);
    public const string LeastConnectionType = nameof(LeastConnection);
    public const string CookieStickySessionsType = nameof(CookieStickySessions);
    public const string DefaultCookieName = ".AspNetCore.Session";
    public const int DefaultExpiry = 1_200_000;

    /// <summary>The balancer; matched case-sensitively, as Ocelot does. Empty means <c>NoLoadBalancer</c>.</summary>
    public string Type { get; init; } = NoLoadBalancerType;

    /// <summary><c>CookieStickySessions</c> only: the cookie whose value identifies a session.</summary>
    public string? Key { get; init; }

    /// <summary><c>CookieStickySessions</c> only: milliseconds a session lives after its last request (sliding).</summary>
    public int Expiry { get; init; }

    public static readonly IReadOnlyList<string> SupportedTypes =
        [NoLoadBalancerType, RoundRobinType, LeastConnectionType, CookieStickySessionsType];

    /// <summary>
    /// The same options with defaults applied and fields the type ignores cleared, so that two spellings of
    /// the same behaviour share one balancer (and its state) across configuration reloads.
    /// </summary>
    public LoadBalancerOptions Normalize()
    {
        if (string.IsNullOrEmpty(Type))
        {
            return (this with { Type = NoLoadBalancerType }).Normalize();
        }

        if (Type != CookieStickySessionsType)
        {
            return Key is null && Expiry == 0 ? this : this with { Key = null, Expiry = 0 };
        }

        return string.IsNullOrEmpty(Key) || Expiry <= 0
            ? this with { Key = string.IsNullOrEmpty(Key) ? DefaultCookieName : Key, Expiry = Expiry <= 0 ? DefaultExpiry : Expiry }
            : this;
    }
}

/// <summary>
/// Which balancer a request uses: <paramref name="key"/> is the service name for discovery and dynamic
/// routes and the route's load-balancer key for static routes (Ocelot shares state along the same lines).
/// The options are normalized, so keys built from equivalent options are equal.
/// </summary>
public readonly record struct LoadBalancerKey
{
    public LoadBalancerKey(string key, LoadBalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        Key = key;
        Options = options.Normalize();
    }

    public string Key { get; }

    public LoadBalancerOptions Options { get; }
}
