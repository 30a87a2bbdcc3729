using MicroDemo.Gateway.Configuration;
using static MicroDemo.Gateway.Tests.Configuration.ConfigurationTestData;

namespace MicroDemo.Gateway.Tests.Configuration;

public sealed class DeprecatedKeysTests
{
    public static TheoryData<string, string, Func<GatewayRoute, object?>, object?> RouteAliases => new()
    {
        // route JSON members, deprecated key (as reported), effective value reader, expected effective value
        { """ "QoSOptions": { "ExceptionsAllowedBeforeBreaking": 4, "MinimumThroughput": 9 } """, "QoSOptions.ExceptionsAllowedBeforeBreaking", r => r.Qos.MinimumThroughput, 4 },
        { """ "QoSOptions": { "DurationOfBreak": 1500, "BreakDuration": 9000 } """, "QoSOptions.DurationOfBreak", r => r.Qos.BreakDuration, TimeSpan.FromMilliseconds(1500) },
        { """ "QoSOptions": { "TimeoutValue": 700, "Timeout": 9000 } """, "QoSOptions.TimeoutValue", r => r.Qos.Timeout, TimeSpan.FromMilliseconds(700) },
        { """ "RateLimitOptions": { "Limit": 1, "PeriodTimespan": 3, "Wait": "9s" } """, "RateLimitOptions.PeriodTimespan", r => r.RateLimit.Wait, TimeSpan.FromSeconds(3) },
        { """ "RateLimitOptions": { "Limit": 1, "QuotaExceededMessage": "old", "QuotaMessage": "new" } """, "RateLimitOptions.QuotaExceededMessage", r => r.RateLimit.QuotaMessage, "old" },
        { """ "RateLimitOptions": { "Limit": 1, "HttpStatusCode": 503, "StatusCode": 418 } """, "RateLimitOptions.HttpStatusCode", r => r.RateLimit.StatusCode, 503 },
        { """ "RateLimitOptions": { "Limit": 1, "DisableRateLimitHeaders": true, "EnableHeaders": true } """, "RateLimitOptions.DisableRateLimitHeaders", r => r.RateLimit.EnableHeaders, false },
        { """ "RateLimitOptions": { "Limit": 1, "RateLimitCounterPrefix": "old", "KeyPrefix": "new" } """, "RateLimitOptions.RateLimitCounterPrefix", r => r.RateLimit.KeyPrefix, "old" },
        { """ "FileCacheOptions": { "TtlSeconds": 5 }, "CacheOptions": { "TtlSeconds": 50 } """, "FileCacheOptions", r => r.Cache.TtlSeconds, 5 },
    };

    [Theory]
    [MemberData(nameof(RouteAliases))]
    public void Deprecated_name_wins_and_is_reported_once(string members, string deprecatedKey, Func<GatewayRoute, object?> read, object? expected)
    {
        var result = Load(Document(Route("/old", members)));

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(expected, read(result.Configuration!.Routes[0]));
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith($"ocelot.json: Routes[0] '/old': '{deprecatedKey}' is deprecated; use '", warning);
        Assert.EndsWith($"(both are present: '{deprecatedKey}' wins).", warning);
        Assert.DoesNotContain('\n', warning);
    }

    [Fact]
    public void Deprecated_name_alone_reports_its_replacement()
    {
        var result = Load(Document(Route("/old", """ "QoSOptions": { "ExceptionsAllowedBeforeBreaking": 2 } """)));

        Assert.Equal(
            ["ocelot.json: Routes[0] '/old': 'QoSOptions.ExceptionsAllowedBeforeBreaking' is deprecated; use 'QoSOptions.MinimumThroughput' instead."],
            result.Warnings);
    }

    [Fact]
    public void Single_authentication_provider_key_is_placed_before_the_list()
    {
        var result = Load(
            Document(Route("/auth", """ "AuthenticationOptions": { "AuthenticationProviderKey": "Old", "AuthenticationProviderKeys": ["New", "Old"] } """)),
            "Old", "New");

        Assert.Equal(["Old", "New"], result.Configuration!.Routes[0].Authentication.ProviderKeys);
        Assert.Equal(
            ["ocelot.json: Routes[0] '/auth': 'AuthenticationOptions.AuthenticationProviderKey' is deprecated; use 'AuthenticationOptions.AuthenticationProviderKeys' instead (both are present: 'AuthenticationOptions.AuthenticationProviderKey' wins)."],
            result.Warnings);
    }

    [Fact]
    public void ReRoutes_is_read_as_Routes()
    {
        var result = Load($$"""{ "ReRoutes": [ {{Route("/legacy")}} ] }""");

        Assert.Equal("/legacy", Assert.Single(result.Configuration!.Routes).UpstreamPathTemplate);
        Assert.Equal("ReRoutes[0] '/legacy'", result.Configuration.Routes[0].Site.Location);
        Assert.Equal(["ocelot.json: (root): 'ReRoutes' is deprecated; use 'Routes' instead."], result.Warnings);
    }

    [Fact]
    public void RateLimitRule_on_a_dynamic_route_wins_over_RateLimitOptions()
    {
        var result = Load("""
            {
              "DynamicRoutes": [ { "ServiceName": "users", "RateLimitRule": { "Limit": 7 }, "RateLimitOptions": { "Limit": 1 } } ],
              "GlobalConfiguration": { "ServiceDiscoveryProvider": { "Type": "Consul", "Host": "localhost", "Port": 8500 } }
            }
            """);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(7, result.Configuration!.DynamicRoutes[0].RateLimit.Limit);
        Assert.Equal(
            ["ocelot.json: DynamicRoutes[0] 'users': 'RateLimitRule' is deprecated; use 'RateLimitOptions' instead (both are present: 'RateLimitRule' wins)."],
            result.Warnings);
    }

    [Fact]
    public void Deprecated_names_in_global_sections_are_reported_against_GlobalConfiguration()
    {
        var result = Load(Document(Route(), """ "QoSOptions": { "TimeoutValue": 100 }, "RateLimitOptions": { "HttpStatusCode": 503, "Limit": 2 } """));

        Assert.Equal(
            [
                "ocelot.json: GlobalConfiguration: 'QoSOptions.TimeoutValue' is deprecated; use 'QoSOptions.Timeout' instead.",
                "ocelot.json: GlobalConfiguration: 'RateLimitOptions.HttpStatusCode' is deprecated; use 'RateLimitOptions.StatusCode' instead.",
            ],
            result.Warnings);
        Assert.Equal(503, result.Configuration!.Routes[0].RateLimit.StatusCode);
    }
}
