using System.Net;
using MicroDemo.Gateway.Admin;
using MicroDemo.Gateway.Security;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Dashboard;

/// <summary>Who may see the dashboard (<see cref="DashboardOptions.RequireAdminScope"/>).</summary>
internal sealed class DashboardAccess(
    IOptions<DashboardOptions> options,
    IOptions<AdministrationOptions> administration,
    RouteAuthenticationStep authentication,
    RouteAuthorizationStep authorization)
{
    private static readonly Dictionary<string, string> NoPlaceholders = [];

    private readonly RouteAuthOptions _admin = new()
    {
        ProviderKeys = [administration.Value.AuthenticationProviderKey],
        AllowedScopes = [administration.Value.Scope],
    };

    /// <summary>Null when the caller may see the page; otherwise the answer to give it.</summary>
    public IResult? CheckPage(HttpContext context) =>
        // With the admin scope required the page itself is an empty shell: its data asks for the token.
        options.Value.RequireAdminScope || IsLoopback(context) ? null : Results.NotFound();

    /// <summary>Null when the caller may read the dashboard's data; otherwise the answer to give it.</summary>
    public async ValueTask<IResult?> CheckDataAsync(HttpContext context)
    {
        if (!options.Value.RequireAdminScope)
        {
            return IsLoopback(context) ? null : Results.NotFound();
        }

        var path = options.Value.Path;
        var authenticated = await authentication.AuthenticateAsync(context, path, _admin);
        if (!authenticated.ShouldContinue)
        {
            return authenticated.Rejection;
        }

        var authorized = authorization.Authorize(context, path, _admin, NoPlaceholders);
        return authorized.ShouldContinue ? null : authorized.Rejection;
    }

    private static bool IsLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
