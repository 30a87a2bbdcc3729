namespace MicroDemo.Gateway.Pipeline;

/// <summary>Gateway settings for dynamic routing (<c>/{service}/{rest}</c>), bound from the <c>Gateway:DynamicRouting</c> section.</summary>
public sealed record DynamicRoutingOptions
{
    public const string SectionName = "Gateway:DynamicRouting";

    /// <summary>Infrastructure the outside must never reach through the gateway, whatever Consul lists.</summary>
    public static readonly IReadOnlyList<string> DefaultExcludedServices = ["consul"];

    /// <summary>
    /// Service names dynamic routing never forwards to (404), besides the gateway's own name, which is always
    /// excluded. Absent: <see cref="DefaultExcludedServices"/>; an empty list excludes only the gateway itself.
    /// As environment variables: <c>Gateway__DynamicRouting__ExcludedServices__0=consul</c>, <c>__1=vault</c>, ...
    /// </summary>
    public string[]? ExcludedServices { get; init; }

    public IReadOnlyList<string> EffectiveExcludedServices => ExcludedServices ?? DefaultExcludedServices;
}
