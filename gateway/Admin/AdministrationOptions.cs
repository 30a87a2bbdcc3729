namespace MicroDemo.Gateway.Admin;

/// <summary>The admin API's settings, bound from <c>Gateway:Administration</c> in the gateway's settings.</summary>
public sealed record AdministrationOptions
{
    public const string SectionName = "Gateway:Administration";

    /// <summary>Where the admin API lives; it shadows routes with the same prefix, as in Ocelot.</summary>
    public string Path { get; init; } = "/administration";

    /// <summary>The authentication provider (a key under Gateway:Authentication:Providers) that admin tokens come from.</summary>
    public string AuthenticationProviderKey { get; init; } = "Bearer";

    /// <summary>The scope an admin token must carry.</summary>
    public string Scope { get; init; } = "gateway.admin";
}
