using MicroDemo.Gateway.Configuration;
using static MicroDemo.Gateway.Tests.Configuration.ConfigurationTestData;

namespace MicroDemo.Gateway.Tests.Configuration;

public sealed class EffectiveOptionsTests
{
    [Fact]
    public void Defaults_match_ocelot()
    {
        var route = SingleRoute("");

        Assert.Empty(route.UpstreamHttpMethods);
        Assert.Equal(1, route.Priority);
        Assert.Null(route.DownstreamScheme);
        Assert.Equal(new Version(1, 1), route.DownstreamHttpVersion);
        Assert.Equal(HttpVersionPolicy.RequestVersionOrLower, route.DownstreamHttpVersionPolicy);
        Assert.Equal(TimeSpan.FromSeconds(90), route.Timeout);
        Assert.Equal(LoadBalancerSettings.Default, route.LoadBalancer);
        Assert.Equal(HttpHandlerSettings.Default, route.HttpHandler);
        Assert.Equal(int.MaxValue, route.HttpHandler.MaxConnectionsPerServer);
        Assert.False(route.Qos.Enabled);
        Assert.False(route.RateLimit.Enabled);
        Assert.False(route.Cache.Enabled);
        Assert.Equal("OC-Cache-Control", route.Cache.Header);
        Assert.Equal(route.LoadBalancerKey, route.Cache.Region);
        Assert.Equal("|/a|no-host|localhost:5001|||NoLoadBalancer|", route.LoadBalancerKey);
        Assert.False(route.Authentication.RequiresAuthentication);
        Assert.True(route.Security.IsEmpty);
        Assert.Null(route.RequestIdKey);
    }

    [Fact]
    public void Rate_limit_section_defaults()
    {
        var rateLimit = SingleRoute(""" "RateLimitOptions": { "Limit": 5 } """).RateLimit;

        Assert.True(rateLimit.Enabled);
        Assert.Equal("Oc-Client", rateLimit.ClientIdHeader);
        Assert.Equal(TimeSpan.FromSeconds(1), rateLimit.Period);
        Assert.Equal("1s", rateLimit.PeriodText);
        Assert.Equal(TimeSpan.Zero, rateLimit.Wait);
        Assert.Equal(429, rateLimit.StatusCode);
        Assert.Equal("API calls quota exceeded! Maximum admitted {0} per {1}.", rateLimit.QuotaMessage);
        Assert.Equal("Ocelot.RateLimiting", rateLimit.KeyPrefix);
        Assert.True(rateLimit.EnableHeaders);
        Assert.Equal(RateLimitPartition.ClientId, rateLimit.PartitionBy);
        Assert.Equal("client_id", rateLimit.PartitionClaim);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("1s", 1_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("250", 250)]
    public void Period_text_is_parsed(string text, int expectedMilliseconds)
    {
        Assert.True(TimeSpanText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), value);
    }

    [Theory]
    [InlineData("/{everything}", 5, 0)]
    [InlineData("/{everything}", null, 0)]
    [InlineData("/api/{everything}", null, 1)]
    [InlineData("/api/{everything}", 3, 3)]
    public void Priority_defaults_to_one_and_a_lone_placeholder_is_forced_last(string template, int? priority, int expected)
    {
        var members = priority is null ? "" : $"\"Priority\": {priority}";

        Assert.Equal(expected, Assert.Single(LoadValid(Document(Route(template, members))).Routes).Priority);
    }

    [Theory]
    [InlineData(null, null, 90)]
    [InlineData(null, 30, 30)]
    [InlineData(10, 30, 10)]
    [InlineData(0, 30, 30)]
    [InlineData(-5, null, 90)]
    public void Timeout_is_route_then_global_then_90_seconds(int? route, int? global, int expectedSeconds)
    {
        var routeMembers = route is null ? "" : $"\"Timeout\": {route}";
        var globalMembers = global is null ? "" : $"\"Timeout\": {global}";

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), SingleRoute(routeMembers, globalMembers).Timeout);
    }

    [Fact]
    public void Request_id_header_transforms_metadata_and_security_fall_back_to_global()
    {
        const string global = """
            "RequestIdKey": "X-Global-Id",
            "UpstreamHeaderTransform": { "X-Shared": "global", "X-Global": "g" },
            "DownstreamHeaderTransform": { "X-Down": "global" },
            "Metadata": { "shared": "global", "onlyGlobal": "g" },
            "SecurityOptions": { "IPBlockedList": ["10.0.0.9"] }
            """;

        var route = SingleRoute("""
            "UpstreamHeaderTransform": { "x-shared": "route" },
            "Metadata": { "shared": "route" }
            """, global);

        Assert.Equal("X-Global-Id", route.RequestIdKey);
        Assert.Equal("route", route.UpstreamHeaderTransform["X-Shared"]);
        Assert.Equal("g", route.UpstreamHeaderTransform["X-Global"]);
        Assert.Equal(2, route.UpstreamHeaderTransform.Count);
        Assert.Equal("global", route.DownstreamHeaderTransform["X-Down"]);
        Assert.Equal("route", route.Metadata["shared"]);
        Assert.Equal("g", route.Metadata["onlyGlobal"]);
        Assert.Equal(["10.0.0.9"], route.Security.IPBlockedList);

        var own = SingleRoute(""" "RequestIdKey": "X-Own", "SecurityOptions": { "IPAllowedList": ["10.0.0.1"] } """, global);
        Assert.Equal("X-Own", own.RequestIdKey);
        Assert.Equal(["10.0.0.1"], own.Security.IPAllowedList);
        Assert.Empty(own.Security.IPBlockedList);
    }

    public static TheoryData<string, string, Func<GatewayRoute, object?>, object?, object?> GlobalSections => new()
    {
        // global section (with RouteKeys placeholder), route section, reader, value in group, value outside group
        { """ "QoSOptions": { "MinimumThroughput": 3, "Timeout": 500 ROUTEKEYS } """, """ "QoSOptions": { "Timeout": 100 } """, r => (r.Qos.MinimumThroughput, r.Qos.Timeout), (3, (TimeSpan?)TimeSpan.FromMilliseconds(100)), (0, (TimeSpan?)TimeSpan.FromMilliseconds(100)) },
        { """ "RateLimitOptions": { "Limit": 10, "Period": "1m" ROUTEKEYS } """, """ "RateLimitOptions": { "Limit": 2 } """, r => (r.RateLimit.Limit, r.RateLimit.PeriodText), (2L, "1m"), (2L, "1s") },
        { """ "CacheOptions": { "TtlSeconds": 30, "Header": "X-G" ROUTEKEYS } """, """ "CacheOptions": { "Header": "X-R" } """, r => (r.Cache.TtlSeconds, r.Cache.Header), (30, "X-R"), (0, "X-R") },
        { """ "LoadBalancerOptions": { "Type": "LeastConnection" ROUTEKEYS } """, """ "LoadBalancerOptions": { "Key": "k" } """, r => (r.LoadBalancer.Type, r.LoadBalancer.Key), ("LeastConnection", "k"), ("NoLoadBalancer", "k") },
        { """ "HttpHandlerOptions": { "UseProxy": true, "AllowAutoRedirect": true ROUTEKEYS } """, """ "HttpHandlerOptions": { "AllowAutoRedirect": false } """, r => (r.HttpHandler.UseProxy, r.HttpHandler.AllowAutoRedirect), (true, false), (false, false) },
        { """ "AuthenticationOptions": { "AuthenticationProviderKeys": ["Bearer"], "AllowedScopes": ["g"] ROUTEKEYS } """, """ "AuthenticationOptions": { "AllowedScopes": ["r"] } """, r => (string.Join(",", r.Authentication.ProviderKeys), string.Join(",", r.Authentication.AllowedScopes)), ("Bearer", "r"), ("", "r") },
    };

    [Theory]
    [MemberData(nameof(GlobalSections))]
    public void Global_sections_merge_field_by_field_for_routes_in_their_group(
        string globalSection, string routeSection, Func<GatewayRoute, object?> read, object? inGroup, object? outsideGroup)
    {
        var routes = $"""
            {Route("/in", "\"Key\": \"in\", " + routeSection)},
            {Route("/out", "\"Key\": \"out\", " + routeSection)}
            """;

        var grouped = LoadValid(Document(routes, globalSection.Replace("ROUTEKEYS", ", \"RouteKeys\": [\"in\"]")), "Bearer");
        Assert.Equal(inGroup, read(grouped.Routes[0]));
        Assert.Equal(outsideGroup, read(grouped.Routes[1]));

        // Absent or empty RouteKeys: the section applies to every route.
        foreach (var everyone in new[] { "", ", \"RouteKeys\": []" })
        {
            var all = LoadValid(Document(routes, globalSection.Replace("ROUTEKEYS", everyone)), "Bearer");
            Assert.Equal(inGroup, read(all.Routes[0]));
            Assert.Equal(inGroup, read(all.Routes[1]));
        }
    }

    [Fact]
    public void Global_section_applies_alone_to_grouped_routes_without_their_own_section()
    {
        var configuration = LoadValid(Document(
            $"{Route("/in", "\"Key\": \"in\"")}, {Route("/out")}",
            """ "RateLimitOptions": { "Limit": 4, "RouteKeys": ["in"] } """));

        Assert.True(configuration.Routes[0].RateLimit.Enabled);
        Assert.Equal(4, configuration.Routes[0].RateLimit.Limit);
        Assert.False(configuration.Routes[1].RateLimit.Enabled);
    }

    [Fact]
    public void Cache_region_defaults_to_the_route_key_and_sticky_routes_share_a_key()
    {
        var configuration = LoadValid(Document($$"""
            {{Route("/a", """ "UpstreamHttpMethod": ["Get","Post"], "UpstreamHost": "h.example", "CacheOptions": { "TtlSeconds": 5 } """)}},
            {{Route("/s", """ "LoadBalancerOptions": { "Type": "CookieStickySessions" } """)}}
            """));

        Assert.Equal("Get,Post|/a|h.example|localhost:5001|||NoLoadBalancer|", configuration.Routes[0].Cache.Region);
        Assert.Equal("CookieStickySessions:.AspNetCore.Session", configuration.Routes[1].LoadBalancerKey);
        Assert.Equal(TimeSpan.FromMinutes(20), configuration.Routes[1].LoadBalancer.Expiry);
    }

    [Theory]
    [InlineData("""{ "MinimumThroughput": 0, "Timeout": 0 }""", false)]
    [InlineData("""{ "MinimumThroughput": 2 }""", true)]
    [InlineData("""{ "Timeout": 100 }""", true)]
    [InlineData("""{ "FailureRatio": 0.5 }""", true)]
    [InlineData("""{ "ExceptionsAllowedBeforeBreaking": 0, "DurationOfBreak": 0, "TimeoutValue": 5000 }""", true)]
    public void Qos_is_on_when_throughput_timeout_or_ratio_is_positive(string qos, bool enabled)
    {
        var route = SingleRoute($"\"QoSOptions\": {qos}");

        Assert.Equal(enabled, route.Qos.Enabled);
    }

    [Fact]
    public void Extension_keys_have_documented_defaults()
    {
        var configuration = LoadValid(Document(Route()));

        Assert.False(configuration.Global.DynamicRoutingFallback);
        Assert.True(configuration.Global.AddForwardedHeaders);
        Assert.False(configuration.DynamicRoutingEnabled);

        var custom = LoadValid(Document(Route(), """
            "DynamicRoutingFallback": true, "AddForwardedHeaders": false,
            "ServiceDiscoveryProvider": { "Type": "consul", "Host": "localhost", "Port": 8500 }
            """));
        Assert.True(custom.Global.DynamicRoutingFallback);
        Assert.False(custom.Global.AddForwardedHeaders);
        Assert.True(custom.DynamicRoutingEnabled);
        Assert.Equal("Consul", custom.Global.ServiceDiscovery!.Type);
    }

    [Fact]
    public void Dynamic_routes_merge_entry_over_global_and_unknown_services_get_global_defaults()
    {
        var configuration = LoadValid("""
            {
              "DynamicRoutes": [ { "ServiceName": "users", "DownstreamScheme": "https", "Timeout": 5, "RateLimitOptions": { "Limit": 3 } } ],
              "GlobalConfiguration": {
                "DownstreamScheme": "http", "DownstreamHttpVersion": "2.0",
                "ServiceDiscoveryProvider": { "Type": "PollConsul", "Host": "consul", "Port": 8500, "PollingInterval": 1000 },
                "RateLimitOptions": { "Limit": 100, "Period": "1m" }
              }
            }
            """);

        Assert.True(configuration.DynamicRoutingEnabled);
        var users = configuration.ResolveDynamicRoute("users");
        Assert.Equal("https", users.DownstreamScheme);
        Assert.Equal(TimeSpan.FromSeconds(5), users.Timeout);
        Assert.Equal(3, users.RateLimit.Limit);
        Assert.Equal("1m", users.RateLimit.PeriodText);
        Assert.Equal(new Version(2, 0), users.DownstreamHttpVersion);

        var orders = configuration.ResolveDynamicRoute("orders", "shop");
        Assert.Equal("http", orders.DownstreamScheme);
        Assert.Equal(100, orders.RateLimit.Limit);
        Assert.Equal("shop.orders", orders.LoadBalancerKey);
        Assert.Equal("shop.orders", orders.Cache.Region);
        Assert.NotEqual(configuration.ResolveDynamicRoute("billing").Fingerprint, orders.Fingerprint);
        Assert.Equal(orders.Fingerprint, configuration.ResolveDynamicRoute("orders", "shop").Fingerprint);
    }

    [Fact]
    public void Fingerprint_ignores_position_and_ordering_but_changes_with_any_effective_value()
    {
        var before = LoadValid(Document($"{Route("/x")}, {Route("/y", "\"Metadata\": { \"a\": \"1\", \"b\": \"2\" }")}"));
        var reordered = LoadValid(Document($"{Route("/y", "\"Metadata\": { \"b\": \"2\", \"a\": \"1\" }")}, {Route("/x")}"));
        var changed = LoadValid(Document($"{Route("/x", "\"Timeout\": 5")}, {Route("/y", "\"Metadata\": { \"a\": \"1\", \"b\": \"2\" }")}"));

        Assert.Equal(before.Routes[0].Fingerprint, reordered.Routes[1].Fingerprint);
        Assert.Equal(before.Routes[1].Fingerprint, reordered.Routes[0].Fingerprint);
        Assert.NotEqual(before.Routes[0].Fingerprint, changed.Routes[0].Fingerprint);
        Assert.Equal(before.Routes[1].Fingerprint, changed.Routes[1].Fingerprint);
        Assert.Matches("^[0-9A-F]{64}$", before.Routes[0].Fingerprint);
    }
}
