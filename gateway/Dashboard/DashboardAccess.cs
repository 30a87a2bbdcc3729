using System.Net;
using MicroDemo.Gateway.Admin;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Dashboard;

/// <summary>Who may see the dashboard (<see cref="DashboardOptions.RequireAdminScope"/>).</summary>
internal sealed class DashboardAccess(IOptions<DashboardOptions> options, AdministratorCheck administrator)
{
    /// <summary>Null when the caller may see the page; otherwise the answer to give it.</summary>
    public IResult? CheckPage(HttpContext context) =>
        // With the admin scope required the page itself is an empty shell: its data asks for the token.
        options.Value.RequireAdminScope || IsLoopback(context) ? null : Results.NotFound();

    /// <summary>Null when the caller may read the dashboard's data; otherwise the answer to give it.</summary>
    public ValueTask<IResult?> CheckDataAsync(HttpContext context) =>
        options.Value.RequireAdminScope
            ? administrator.CheckAsync(context, options.Value.Path)
            : ValueTask.FromResult(IsLoopback(context) ? null : Results.NotFound());

    private static bool IsLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
