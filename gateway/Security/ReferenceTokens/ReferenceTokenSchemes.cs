using System.Collections.Frozen;
using MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;

namespace MicroDemo.Gateway.Security.ReferenceTokens;

/// <summary>
/// Picks the scheme that checks a request's token for a provider key: the provider's JwtBearer scheme (named like the
/// key, as before) or its reference-token scheme (<c>{key}:reference</c>), by the provider's <see cref="SupportedTokens"/>
/// and the token's shape.
/// </summary>
public sealed class ReferenceTokenSchemes(IReadOnlyDictionary<string, SupportedTokens> providers)
{
    private const string Suffix = ":reference";

    private readonly FrozenDictionary<string, SupportedTokens> _providers = providers.ToFrozenDictionary(StringComparer.Ordinal);

    public static string SchemeName(string providerKey) => providerKey + Suffix;

    public string SchemeFor(string providerKey, HttpRequest request) =>
        _providers.TryGetValue(providerKey, out var supported) && TokenShape.NeedsIntrospection(supported, TokenShape.BearerToken(request))
            ? SchemeName(providerKey)
            : providerKey;
}
