namespace MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;

/// <summary>
/// How reference tokens are checked at the token service's introspection endpoint (RFC 7662), with the API's own
/// credentials, and how long answers are kept. Bound from an <c>Introspection</c> section.
/// </summary>
public sealed record IntrospectionOptions
{
    public const string SectionName = "Introspection";

    /// <summary>The API's <c>client_id</c> at the introspection endpoint; the token service answers in full only for an audience of the token.</summary>
    public string ClientId { get; init; } = "microdemo";

    public string? ClientSecret { get; init; }

    /// <summary>
    /// How long an active answer is reused (never past the token's <c>exp</c>). It is the longest time a revoked
    /// token keeps working here, and what lets requests go on while the token service is down.
    /// </summary>
    public TimeSpan CacheDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an inactive answer (unknown, revoked, expired handle) is reused, so a flood of made-up handles costs one call each at most this often.</summary>
    public TimeSpan InactiveCacheDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Cached answers at most; beyond it new answers are not cached, so memory stays bounded whatever callers send.</summary>
    public int CacheSizeLimit { get; init; } = 10_000;

    /// <summary>Introspection calls in flight at most; further requests wait for a slot up to <see cref="Timeout"/>.</summary>
    public int MaxConcurrentRequests { get; init; } = 4;

    /// <summary>The longest a request waits for a slot and an answer before it is told the token service is unavailable.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public IEnumerable<string> Validate(string path)
    {
        if (string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrEmpty(ClientSecret))
        {
            yield return $"{path}:ClientId and {path}:ClientSecret must be set to accept reference tokens.";
        }

        if (CacheDuration < TimeSpan.Zero || InactiveCacheDuration < TimeSpan.Zero)
        {
            yield return $"{path}:CacheDuration and {path}:InactiveCacheDuration must not be negative.";
        }

        if (CacheSizeLimit < 1 || MaxConcurrentRequests < 1)
        {
            yield return $"{path}:CacheSizeLimit and {path}:MaxConcurrentRequests must be at least 1.";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return $"{path}:Timeout must be positive.";
        }
    }
}
