namespace MicroDemo.Gateway.Security;

/// <summary>
/// A route's effective authentication, authorization and claims settings (after global
/// <c>AuthenticationOptions</c> have been merged in). Claims expressions arrive compiled, see
/// <see cref="ClaimValueExpression.ParseAll"/>.
/// </summary>
public sealed record RouteAuthOptions
{
    public static RouteAuthOptions None { get; } = new();

    /// <summary>Authentication schemes tried in order; the first that accepts the token wins.</summary>
    public IReadOnlyList<string> ProviderKeys { get; init; } = [];

    /// <summary>Opts a route out of authentication it would otherwise get from global options.</summary>
    public bool AllowAnonymous { get; init; }

    /// <summary>The user needs at least one of these among its <c>scope</c> values (empty: no check).</summary>
    public IReadOnlyList<string> AllowedScopes { get; init; } = [];

    /// <summary><c>RouteClaimsRequirement</c>: claim type → required value, or <c>{placeholder}</c> to compare with the URL.</summary>
    public IReadOnlyDictionary<string, string> ClaimsRequirement { get; init; } = EmptyMap<string>();

    /// <summary>New claim type → where its value comes from; applied before authorization.</summary>
    public IReadOnlyDictionary<string, ClaimValueExpression> AddClaimsToRequest { get; init; } = EmptyMap<ClaimValueExpression>();

    /// <summary>Downstream request header → where its value comes from.</summary>
    public IReadOnlyDictionary<string, ClaimValueExpression> AddHeadersToRequest { get; init; } = EmptyMap<ClaimValueExpression>();

    /// <summary>Downstream query parameter → where its value comes from (replaces a parameter of that name).</summary>
    public IReadOnlyDictionary<string, ClaimValueExpression> AddQueriesToRequest { get; init; } = EmptyMap<ClaimValueExpression>();

    /// <summary>Placeholder of <c>DownstreamPathTemplate</c> (without braces) → where its value comes from.</summary>
    public IReadOnlyDictionary<string, ClaimValueExpression> ChangeDownstreamPathTemplate { get; init; } = EmptyMap<ClaimValueExpression>();

    /// <summary>Ocelot's rule: at least one non-empty scheme and not opted out.</summary>
    public bool RequiresAuthentication =>
        !AllowAnonymous && ProviderKeys.Any(key => !string.IsNullOrWhiteSpace(key));

    internal bool SendsClaimsDownstream =>
        AddHeadersToRequest.Count > 0 || AddQueriesToRequest.Count > 0 || ChangeDownstreamPathTemplate.Count > 0;

    private static IReadOnlyDictionary<string, T> EmptyMap<T>() => new Dictionary<string, T>();
}
