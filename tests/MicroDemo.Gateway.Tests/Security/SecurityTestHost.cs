using System.Net;
using MicroDemo.Gateway.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Tests.Security;

/// <summary>One route of the test gateway: an ASP.NET route template plus the security options under test.</summary>
public sealed record TestRoute(string Template, RouteAuthOptions Auth, IpSecurityOptions? Ip = null);

/// <summary>
/// An in-memory app that runs the security steps in the gateway's order (IP security, authentication,
/// claims→claims and authorization, claims→downstream) and then echoes what a downstream service would get.
/// The header <c>X-Test-Client-IP</c> stands in for the TCP peer address.
/// </summary>
public sealed class SecurityTestHost : IAsyncDisposable
{
    public const string ClientIpHeader = "X-Test-Client-IP";

    private readonly WebApplication _app;

    private SecurityTestHost(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public static async Task<SecurityTestHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings, IEnumerable<TestRoute> routes, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddGatewayAuthentication(builder.Configuration);
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(ClientIpHeader, out var ip))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(ip.ToString());
            }

            return next(context);
        });
        foreach (var route in routes)
        {
            app.Map(route.Template, (Func<HttpContext, Task<IResult>>)(context => RunAsync(context, route)));
        }

        await app.StartAsync();
        return new SecurityTestHost(app);
    }

    /// <summary>Settings with one provider per (key, authority) pair.</summary>
    public static Dictionary<string, string?> Providers(params (string Key, string Authority)[] providers)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (key, authority) in providers)
        {
            settings[$"{AuthenticationProviderSettings.SectionName}:{key}:Authority"] = authority;
        }

        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }

    private static async Task<IResult> RunAsync(HttpContext context, TestRoute route)
    {
        var services = context.RequestServices;
        var ip = services.GetRequiredService<IpSecurityStep>().Check(context, route.Template, route.Ip ?? IpSecurityOptions.None);
        if (!ip.ShouldContinue)
        {
            return ip.Rejection;
        }

        var authentication = await services.GetRequiredService<RouteAuthenticationStep>().AuthenticateAsync(context, route.Template, route.Auth);
        if (!authentication.ShouldContinue)
        {
            return authentication.Rejection;
        }

        var placeholders = context.Request.RouteValues.ToDictionary(value => value.Key, value => value.Value?.ToString() ?? "");
        var authorization = services.GetRequiredService<RouteAuthorizationStep>().Authorize(context, route.Template, route.Auth, placeholders);
        if (!authorization.ShouldContinue)
        {
            return authorization.Rejection;
        }

        var claims = services.GetRequiredService<ClaimsToDownstreamStep>().Resolve(context, route.Template, route.Auth);
        if (!claims.ShouldContinue)
        {
            return claims.Rejection;
        }

        claims.ApplyTo(context.Request);
        return Results.Json(new Echo(
            context.User.FindFirst("sub")?.Value,
            context.User.Claims.Select(claim => $"{claim.Type}={claim.Value}").ToArray(),
            context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString()),
            context.Request.QueryString.Value ?? "",
            claims.PathPlaceholders.ToDictionary()));
    }
}

/// <summary>What the test gateway's "downstream" saw.</summary>
public sealed record Echo(
    string? Subject,
    string[] Claims,
    Dictionary<string, string> Headers,
    string Query,
    Dictionary<string, string> PathPlaceholders);
