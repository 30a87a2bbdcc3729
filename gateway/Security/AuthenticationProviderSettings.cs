using MicroDemo.ServiceDefaults.Authentication;

namespace MicroDemo.Gateway.Security;

/// <summary>
/// One token issuer the gateway trusts, bound from <c>Gateway:Authentication:Providers:{ProviderKey}</c>.
/// The provider key is the name routes use in <c>AuthenticationProviderKeys</c>.
/// </summary>
public sealed record AuthenticationProviderSettings
{
    public const string SectionName = "Gateway:Authentication:Providers";

    /// <summary>The issuer URL; metadata is read from <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; init; }

    /// <summary>The audience (<c>aud</c>) tokens must carry.</summary>
    public string Audience { get; init; } = "microdemo";

    /// <summary>Unset: HTTPS is required unless the authority is http on a loopback address.</summary>
    public bool? RequireHttpsMetadata { get; init; }

    /// <summary>How long fetched metadata and keys are used before they are fetched again.</summary>
    public TimeSpan MetadataRefreshInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The least time between two fetches caused by tokens signed with an unknown key.</summary>
    public TimeSpan MinimumRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tolerance for clock differences when checking <c>exp</c> and <c>nbf</c>; by default the services' own.</summary>
    public TimeSpan ClockSkew { get; init; } = TokenValidationDefaults.ClockSkew;
}
