using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MicroDemo.Gateway.Security;

/// <summary>
/// Remembers, per authentication scheme, the principal of each bearer token the scheme accepted, so a client
/// sending the same token again is not re-validated: an RS256 signature check plus parsing the token and
/// building its claims cost about 60 µs, most of a secure request's time (docs/benchmarks.md). Envoy's
/// <c>jwt_authn</c> cache and Kong do the same.
/// </summary>
/// <remarks>
/// An entry answers only while the validation it stands for would still pass: until the token's <c>exp</c>, and
/// only with the issuer metadata (signing keys) it was checked against, which must still be current; any refresh,
/// scheduled or caused by an unknown key id, sends every token through full validation again. Only accepted
/// tokens are stored, so invalid tokens cannot fill it; at <see cref="Capacity"/> expired entries are dropped,
/// and if none are, everything (the cost is one validation per client).
/// The principals are shared between the requests of one token: nothing may change them in place.
/// </remarks>
public sealed class AcceptedTokenCache(TimeProvider time)
{
    /// <summary>Tokens kept per scheme; about 3 KB each with their claims.</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Entry>> _schemes = new(StringComparer.Ordinal);

    public bool TryGet(string scheme, string? token, OpenIdConnectConfiguration? currentMetadata, out ClaimsPrincipal principal)
    {
        principal = null!;
        if (token is null
            || currentMetadata is null
            || !_schemes.TryGetValue(scheme, out var tokens)
            || !tokens.TryGetValue(token, out var entry)
            || !ReferenceEquals(entry.Metadata, currentMetadata)
            || time.GetUtcNow() >= entry.ExpiresAt)
        {
            return false;
        }

        principal = entry.Principal;
        return true;
    }

    public void Add(string scheme, string token, OpenIdConnectConfiguration? metadata, ClaimsPrincipal principal, DateTimeOffset? expiresAt)
    {
        if (metadata is null || expiresAt is not { } expires)
        {
            return;
        }

        var tokens = _schemes.GetOrAdd(scheme, static _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));
        if (tokens.Count >= Capacity)
        {
            Trim(tokens);
        }

        // IdentityModel may build claims lazily; building them now, before the principal is shared, keeps
        // concurrent readers from racing on that first build.
        foreach (var identity in principal.Identities)
        {
            _ = identity.Claims.Count();
        }

        tokens[token] = new Entry(principal, expires, metadata);
    }

    private void Trim(ConcurrentDictionary<string, Entry> tokens)
    {
        var now = time.GetUtcNow();
        foreach (var (token, entry) in tokens)
        {
            if (now >= entry.ExpiresAt)
            {
                tokens.TryRemove(token, out _);
            }
        }

        if (tokens.Count >= Capacity)
        {
            tokens.Clear();
        }
    }

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset ExpiresAt, OpenIdConnectConfiguration Metadata);
}
