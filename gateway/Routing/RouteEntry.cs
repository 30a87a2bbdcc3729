namespace MicroDemo.Gateway.Routing;

/// <summary>
/// One selectable route: the caller's payload plus the compiled upstream matching keys of an
/// <c>ocelot.json</c> route (or aggregate).
/// </summary>
/// <param name="Route">The payload returned on a match.</param>
/// <param name="PathTemplate">The compiled <c>UpstreamPathTemplate</c>.</param>
public sealed record RouteEntry<TRoute>(TRoute Route, UpstreamPathTemplate PathTemplate)
{
    /// <summary><c>UpstreamHttpMethod</c>; empty means any method. Compared case-insensitively.</summary>
    public IReadOnlyCollection<string> Methods { get; init; } = [];

    /// <summary><c>UpstreamHost</c>; null or empty means any host. Compared ordinally with the Host header minus its port.</summary>
    public string? UpstreamHost { get; init; }

    public UpstreamHeaderTemplates HeaderTemplates { get; init; } = UpstreamHeaderTemplates.Empty;

    /// <summary><c>Priority</c>; higher wins. Ocelot's default is 1 (0 for a <c>/{catchAll}</c> template).</summary>
    public int Priority { get; init; } = 1;
}

/// <summary>The route chosen for a request and its placeholder values.</summary>
public readonly record struct RouteMatch<TRoute>(TRoute Route, PlaceholderValues Placeholders);
