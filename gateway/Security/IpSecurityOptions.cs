namespace MicroDemo.Gateway.Security;

/// <summary>
/// A route's effective <c>SecurityOptions</c> (the configuration layer picks the global lists when the
/// route's own are both empty).
/// </summary>
public sealed record IpSecurityOptions
{
    public static IpSecurityOptions None { get; } = new();

    /// <summary>When not empty, only these clients may call the route.</summary>
    public IpAddressSet Allowed { get; init; } = IpAddressSet.Empty;

    /// <summary>Clients that may not call the route.</summary>
    public IpAddressSet Blocked { get; init; } = IpAddressSet.Empty;

    /// <summary>An address on both lists is let through instead of blocked.</summary>
    public bool ExcludeAllowedFromBlocked { get; init; }

    public bool IsEmpty => Allowed.IsEmpty && Blocked.IsEmpty;
}
