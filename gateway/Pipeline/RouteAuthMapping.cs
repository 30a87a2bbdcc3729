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
        AddClaimsToRequest = ClaimValueExpression.ParseAll(route.AddClaimsToRequest, nameof(GatewayRoute.AddClaimsToRequest), Ignored),
        AddHeadersToRequest = ClaimValueExpression.ParseAll(route.AddHeadersToRequest, nameof(GatewayRoute.AddHeadersToRequest), Ignored),
        AddQueriesToRequest = ClaimValueExpression.ParseAll(route.AddQueriesToRequest, nameof(GatewayRoute.AddQueriesToRequest), Ignored),
        ChangeDownstreamPathTemplate = ClaimValueExpression.ParseAll(route.ChangeDownstreamPathTemplate, nameof(GatewayRoute.ChangeDownstreamPathTemplate), Ignored),
    };

    public static IpSecurityOptions IpSecurity(SecuritySettings settings) => settings.IsEmpty
        ? IpSecurityOptions.None
        : new IpSecurityOptions
        {
            Allowed = IpAddressSet.Parse(settings.IPAllowedList, "IPAllowedList", Ignored),
            Blocked = IpAddressSet.Parse(settings.IPBlockedList, "IPBlockedList", Ignored),
            ExcludeAllowedFromBlocked = settings.ExcludeAllowedFromBlocked,
        };

    // The configuration validator reports entries and expressions that do not parse; here they are left out.
    private static List<string> Ignored => [];
}
