namespace MicroDemo.Gateway.Configuration;

/// <summary>Ocelot's <c>RouteKeys</c> rule shared by every groupable global section.</summary>
internal static class GlobalGroups
{
    /// <summary>
    /// The global section that applies to a route with <paramref name="routeKey"/>: all routes when the
    /// section has no (or empty) <c>RouteKeys</c>, otherwise only the listed keys.
    /// </summary>
    public static T? For<T>(T? global, string? routeKey)
        where T : FileGroupableOptions
    {
        if (global is null)
        {
            return null;
        }

        if (global.RouteKeys is not { Count: > 0 } keys)
        {
            return global;
        }

        return routeKey is not null && keys.Contains(routeKey, StringComparer.Ordinal) ? global : null;
    }

    /// <summary>Empty lists count as "not set", so a route can inherit a global list by leaving its own empty.</summary>
    public static List<T>? Pick<T>(List<T>? route, List<T>? global) => route is { Count: > 0 } ? route : global;
}
