using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Security;

namespace MicroDemo.Gateway.Pipeline;

/// <summary>Maps a route's auth, claims and IP options from ocelot.json onto the Security steps' options.</summary>
internal static class RouteAuthMapping
{
    public static RouteAuthOptions From(GatewayRoute route) => new()
    {
        ProviderKeys = route.Authentication.ProviderKeys,
        AllowAnonymous = route.Authentication.AllowAnonymous,
        AllowedScopes = route.Authentication.AllowedScopes,
        ClaimsRequirement = route.RouteClaimsRequirement,
        AddClaimsToRequest = Expressions(route.AddClaimsToRequest),
        AddHeadersToRequest = Expressions(route.AddHeadersToRequest),
        AddQueriesToRequest = Expressions(route.AddQueriesToRequest),
        ChangeDownstreamPathTemplate = Expressions(route.ChangeDownstreamPathTemplate),
    };

    public static IpSecurityOptions IpSecurity(SecuritySettings settings) => settings.IsEmpty
        ? IpSecurityOptions.None
        : new IpSecurityOptions
        {
            Allowed = IpAddressSet.Parse(settings.IPAllowedList, "IPAllowedList", Ignored),
            Blocked = IpAddressSet.Parse(settings.IPBlockedList, "IPBlockedList", Ignored),
            ExcludeAllowedFromBlocked = settings.ExcludeAllowedFromBlocked,
        };

    // The configuration validator reports entries that do not parse; here they are simply left out.
    private static List<string> Ignored => [];

    // The validator has already rejected expressions that do not parse.
    private static Dictionary<string, ClaimValueExpression> Expressions(IReadOnlyDictionary<string, string> source)
    {
        var expressions = new Dictionary<string, ClaimValueExpression>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, text) in source)
        {
            if (ClaimValueExpression.TryParse(text, out var expression, out _))
            {
                expressions[name] = expression;
            }
        }

        return expressions;
    }
}
