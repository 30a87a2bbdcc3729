using MicroDemo.Identity.Secrets;

namespace MicroDemo.Identity.Clients;

public sealed record RegisteredClient(
    string ClientId,
    SecretHash Secret,
    IReadOnlySet<string> AllowedGrantTypes,
    IReadOnlyList<string> AllowedScopes);
