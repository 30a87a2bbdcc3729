using System.Net;
using MicroDemo.Gateway.ClientAddress;
using MicroDemo.Gateway.Tests.Policies;
using MicroDemo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static MicroDemo.Gateway.Tests.Policies.OcelotJson;

namespace MicroDemo.Gateway.Tests.ClientAddress;

/// <summary>
/// Who the per-IP rate limit counts, with and without a trusted edge in front: a route admits one request per
/// client address, so a second 200 means the gateway saw a second client.
/// </summary>
public sealed class TrustedProxyTests : IAsyncLifetime
{
    private const string ForwardedFor = "X-Forwarded-For";
    private static readonly object OnePerClientIp = new { RateLimitOptions = new { Limit = 1, Period = "1h", PartitionBy = "ClientIp" } };

    private Downstream _downstream = null!;

    public async Task InitializeAsync() => _downstream = await Downstream.StartAsync();

    public async Task DisposeAsync() => await _downstream.DisposeAsync();

    [Fact]
    public async Task Behind_a_trusted_edge_each_client_the_edge_names_has_its_own_quota()
    {
        await using var gateway = Start(trusted: "127.0.0.1");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Client, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Client, "203.0.113.8"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(gateway.Client, "203.0.113.7"));
    }

    [Fact]
    public async Task A_client_forging_X_Forwarded_For_through_the_edge_is_still_counted_as_itself()
    {
        await using var gateway = Start(trusted: "127.0.0.1");

        // The edge appends the address it saw to whatever the client sent; only that last entry is believed.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Client, "198.51.100.1, 203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(gateway.Client, "198.51.100.2, 203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(gateway.Client, "127.0.0.9, 198.51.100.3, 203.0.113.7"));
    }

    [Fact]
    public async Task By_default_nobody_is_trusted_and_a_forged_X_Forwarded_For_changes_nothing()
    {
        await using var gateway = Start(trusted: null);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Client, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(gateway.Client, "203.0.113.8"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(gateway.Client, forwardedFor: null));
    }

    [Fact]
    public async Task A_client_sending_straight_to_a_replica_is_not_the_edge_and_is_not_believed()
    {
        await using var gateway = Start(trusted: "127.0.0.1");
        using var direct = GatewayHost.NewClient(gateway.Address, LoopbackSource.Handler(IPAddress.Parse("127.0.0.2")));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(direct, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(direct, "203.0.113.8"));
    }

    [Theory]
    [InlineData("nonsense", "Gateway:ForwardedHeaders:TrustedProxies[0] 'nonsense' is invalid")]
    [InlineData("10.0.0.0/40", "Gateway:ForwardedHeaders:TrustedProxies[0] '10.0.0.0/40' is invalid")]
    public void An_invalid_entry_stops_start_up_naming_the_key(string entry, string message)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{TrustedProxyOptions.SectionName}:TrustedProxies:0"] = entry })
            .Build();
        using var services = new ServiceCollection().BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => new ApplicationBuilder(services).UseGatewayTrustedProxies(configuration));

        Assert.StartsWith(message, error.Message);
    }

    private GatewayHost Start(string? trusted) => GatewayHost.Start(
        Document(Route("/rl", _downstream.Port, OnePerClientIp)),
        trusted is null ? null : new Dictionary<string, string?> { [$"{TrustedProxyOptions.SectionName}:TrustedProxies:0"] = trusted });

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rl/items");
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation(ForwardedFor, forwardedFor);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
