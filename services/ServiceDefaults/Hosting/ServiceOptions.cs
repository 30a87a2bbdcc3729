namespace MicroDemo.ServiceDefaults.Hosting;

/// <summary>Who this instance is and how others reach it. Bound from the <c>Service</c> configuration section.</summary>
public sealed record ServiceOptions
{
    public const string SectionName = "Service";

    /// <summary>The name the instance registers under in Consul (users, orders, ...). Required.</summary>
    public string Name { get; init; } = "";

    /// <summary>The address other processes dial: 127.0.0.1 natively, the compose service name in containers.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>
    /// Register this machine's own address instead of <see cref="Address"/>. For the replicas of one compose
    /// service (<c>--scale orders=3</c>): they share one configuration, yet each must register the address
    /// of its own container, or Consul would list three instances that all point at one.
    /// </summary>
    public bool UseHostAddress { get; init; }

    /// <summary>The port other processes dial; when absent, the port the server actually listens on.</summary>
    public int? Port { get; init; }

    /// <summary>Registered in Consul as the tag <c>version-{Version}</c>.</summary>
    public string Version { get; init; } = "1.0.0";

    /// <summary>Off for tests that run a service on its own.</summary>
    public bool RegisterInConsul { get; init; } = true;
}
