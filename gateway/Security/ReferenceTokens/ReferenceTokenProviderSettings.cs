using MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;

namespace MicroDemo.Gateway.Security.ReferenceTokens;

/// <summary>
/// The reference-token half of a provider, bound from the same <c>Gateway:Authentication:Providers:{ProviderKey}</c>
/// section as <see cref="AuthenticationProviderSettings"/> (whose <c>Authority</c> and <c>Audience</c> it shares).
/// </summary>
public sealed record ReferenceTokenProviderSettings
{
    /// <summary>As IdentityServer4.AccessTokenValidation's <c>SupportedTokens</c>: <c>Jwt</c> (the default), <c>Reference</c> or <c>Both</c>.</summary>
    public SupportedTokens SupportedTokens { get; init; } = SupportedTokens.Jwt;

    /// <summary>The gateway's introspection credentials and cache for this provider.</summary>
    public IntrospectionOptions Introspection { get; init; } = new();
}
