using MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;

namespace MicroDemo.ServiceDefaults.Authentication;

/// <summary>How a service validates the access tokens of the MicroDemo token service (section <c>Identity</c>).</summary>
public sealed record ServiceAuthenticationOptions
{
    public const string SectionName = "Identity";

    /// <summary>
    /// Base URL of the token service; its <c>/.well-known/openid-configuration</c> gives the issuer and the JWKS.
    /// Empty: authentication is off and every <c>RequireScope</c> endpoint is open (a warning says so at startup).
    /// </summary>
    public string? Authority { get; init; }

    /// <summary>The <c>aud</c> tokens must carry.</summary>
    public string Audience { get; init; } = "microdemo";

    /// <summary>
    /// Whether the metadata must be fetched over https. Unset: required, except for an http authority on a
    /// loopback host or in the Development environment. Set it to false only on a private network you trust.
    /// </summary>
    public bool? RequireHttpsMetadata { get; init; }

    /// <summary>JWTs (checked locally), reference tokens (introspected) or both, told apart by their shape.</summary>
    public SupportedTokens SupportedTokens { get; init; } = SupportedTokens.Jwt;

    /// <summary>The service's introspection credentials and cache, used unless <see cref="SupportedTokens"/> is <c>Jwt</c>.</summary>
    public IntrospectionOptions Introspection { get; init; } = new();

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority);
}
