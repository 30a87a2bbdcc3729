namespace MicroDemo.Gateway.Security;

/// <summary>The provider keys (authentication schemes) the gateway has configured.</summary>
public interface IAuthenticationProviderKeys
{
    IReadOnlySet<string> Keys { get; }

    /// <summary>
    /// One message per key in <paramref name="providerKeys"/> that is not configured, for the
    /// configuration validator (which prefixes the route).
    /// </summary>
    IReadOnlyList<string> FindUnknown(IEnumerable<string> providerKeys);
}

public sealed class AuthenticationProviderKeys(IEnumerable<string> keys) : IAuthenticationProviderKeys
{
    public IReadOnlySet<string> Keys { get; } = new HashSet<string>(keys, StringComparer.Ordinal);

    public IReadOnlyList<string> FindUnknown(IEnumerable<string> providerKeys)
    {
        var known = Keys.Count == 0 ? "none are configured" : "configured: " + string.Join(", ", Keys.Order(StringComparer.Ordinal));
        return providerKeys
            .Where(key => !string.IsNullOrWhiteSpace(key) && !Keys.Contains(key))
            .Select(key => $"AuthenticationProviderKey '{key}' is not a configured authentication provider ({known}); " +
                           $"add {AuthenticationProviderSettings.SectionName}:{key}:Authority to the gateway's settings.")
            .ToList();
    }
}
