using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>
/// A route without AuthenticationOptions forwards whatever the client sends and never runs a bearer handler: only
/// routes that name a provider authenticate (ASP.NET Core would otherwise run its default scheme for every request).
/// </summary>
public sealed class AnonymousRouteThroughGatewayTests
{
    [Fact]
    public async Task A_bearer_token_on_an_anonymous_route_is_forwarded_without_being_validated()
    {
        await using var downstream = await Downstream.StartAsync();
        await using var gateway = Start(
            OcelotJson([Route("/open/{rest}", "/echo/{rest}", downstream.Port)]),
            new Dictionary<string, string?>
            {
                // Nothing listens there: a bearer handler that ran would fail to fetch the issuer's keys and log it.
                ["Gateway:Authentication:Providers:Bearer:Authority"] = $"http://127.0.0.1:{FreePorts.Next()}",
                ["Logging:LogLevel:Microsoft.AspNetCore.Authentication"] = "Debug",
            });
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/open/profile");
        request.Headers.Authorization = new("Bearer", "not-a-token");

        using var response = await client.SendAsync(request);

        var echo = await ReadEchoAsync(response);
        Assert.Equal("Bearer not-a-token", echo.Header("Authorization"));
        Assert.DoesNotContain(gateway.Logs.Entries, entry => entry.Category.StartsWith("Microsoft.AspNetCore.Authentication", StringComparison.Ordinal));
    }
}
