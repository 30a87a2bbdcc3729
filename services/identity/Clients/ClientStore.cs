using System.Collections.Frozen;
using MicroDemo.Identity.Options;
using MicroDemo.Identity.Secrets;
using Microsoft.Extensions.Options;

namespace MicroDemo.Identity.Clients;

/// <summary>The clients of <c>Identity:Clients</c>, checked by <see cref="IdentityServiceOptionsValidator"/> at startup.</summary>
public sealed class ClientStore
{
    private readonly FrozenDictionary<string, RegisteredClient> _clients;

    public ClientStore(IOptions<IdentityServiceOptions> options)
    {
        _clients = options.Value.Clients.ToFrozenDictionary(
            pair => pair.Key,
            pair => new RegisteredClient(
                pair.Key,
                SecretHash.TryParse(pair.Value.SecretHash, out var secret, out _) ? secret : throw new InvalidOperationException($"Client '{pair.Key}' has an invalid secret hash."),
                pair.Value.AllowedGrantTypes.ToFrozenSet(StringComparer.Ordinal),
                pair.Value.AllowedScopes),
            StringComparer.Ordinal);
    }

    /// <returns>The client, or null when the id is unknown or the secret is wrong (the caller must not tell which).</returns>
    public RegisteredClient? Authenticate(ClientCredentials credentials)
    {
        if (!_clients.TryGetValue(credentials.ClientId, out var client))
        {
            SecretHash.CompareWithDecoy(credentials.ClientSecret);
            return null;
        }

        return client.Secret.Matches(credentials.ClientSecret) ? client : null;
    }
}
