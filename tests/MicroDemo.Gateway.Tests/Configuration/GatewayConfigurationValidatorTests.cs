using static MicroDemo.Gateway.Tests.Configuration.ConfigurationTestData;

namespace MicroDemo.Gateway.Tests.Configuration;

public sealed class GatewayConfigurationValidatorTests
{
    private const string Discovery = """ "ServiceDiscoveryProvider": { "Type": "Consul", "Host": "localhost", "Port": 8500 } """;

    public static TheoryData<string, string> RouteRules => new()
    {
        // route JSON (Routes[0]), exact expected error
        { """{ "UpstreamPathTemplate": "", "DownstreamPathTemplate": "/b", HOSTS }""", "ocelot.json: Routes[0] '': UpstreamPathTemplate: cannot be empty" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "test", HOSTS }""", "ocelot.json: Routes[0] '/a': DownstreamPathTemplate: 'test' does not start with a forward slash '/'" },
        { """{ "UpstreamPathTemplate": "/a//b", "DownstreamPathTemplate": "/b", HOSTS }""", "ocelot.json: Routes[0] '/a//b': UpstreamPathTemplate: '/a//b' contains a double forward slash '//', which cannot be matched" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "https://x/b", HOSTS }""", "ocelot.json: Routes[0] '/a': DownstreamPathTemplate: 'https://x/b' contains a scheme; put only the path here (the scheme goes in DownstreamScheme)" },
        { """{ "UpstreamPathTemplate": "/a/{id}/{id}", "DownstreamPathTemplate": "/b", HOSTS }""", "ocelot.json: Routes[0] '/a/{id}/{id}': UpstreamPathTemplate: '/a/{id}/{id}' has duplicated placeholder '{id}'" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b" }""", "ocelot.json: Routes[0] '/a': DownstreamHostAndPorts: must list at least one { \"Host\", \"Port\" } when ServiceName is not set" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", "DownstreamHostAndPorts": [{ "Host": "", "Port": 80 }] }""", "ocelot.json: Routes[0] '/a': DownstreamHostAndPorts[0].Host: must not be empty" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", "DownstreamHostAndPorts": [{ "Host": "h", "Port": 0 }] }""", "ocelot.json: Routes[0] '/a': DownstreamHostAndPorts[0].Port: must be between 1 and 65535, got 0" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", "ServiceName": "users" }""", "ocelot.json: Routes[0] '/a': ServiceName: 'users' requires GlobalConfiguration.ServiceDiscoveryProvider with Type (Consul or PollConsul), Host and Port; none is configured" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "DownstreamScheme": "ftp" }""", "ocelot.json: Routes[0] '/a': DownstreamScheme: 'ftp' is not supported; use one of http, https, ws, wss" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "DownstreamHttpVersion": "1.1.1" }""", "ocelot.json: Routes[0] '/a': DownstreamHttpVersion: '1.1.1' is not a valid HTTP version; use 1.0, 1.1, 2 or 3 (pattern ^[0-9]([.,][0-9])?$)" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "DownstreamHttpVersionPolicy": "Newest" }""", "ocelot.json: Routes[0] '/a': DownstreamHttpVersionPolicy: 'Newest' is not valid; use RequestVersionOrLower, RequestVersionOrHigher, RequestVersionExact" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "LoadBalancerOptions": { "Type": "Random" } }""", "ocelot.json: Routes[0] '/a': LoadBalancerOptions.Type: 'Random' is not a supported load balancer; use one of NoLoadBalancer, RoundRobin, LeastConnection, CookieStickySessions" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "RateLimitOptions": { "Limit": 0 } }""", "ocelot.json: Routes[0] '/a': RateLimitOptions.Limit: must be greater than 0, got 0 (a zero limit would block every request)" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "RateLimitOptions": { "Limit": 1, "Period": "" } }""", "ocelot.json: Routes[0] '/a': RateLimitOptions.Period: is empty; expected a number followed by ms, s, m, h or d (e.g. 500ms, 1s, 1.5m); a bare number means milliseconds" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "RateLimitOptions": { "Limit": 1, "Period": "1 minute" } }""", "ocelot.json: Routes[0] '/a': RateLimitOptions.Period: '1 minute' is not a valid period; expected a number followed by ms, s, m, h or d (e.g. 500ms, 1s, 1.5m); a bare number means milliseconds, greater than 0" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "RateLimitOptions": { "Limit": 1, "Wait": "5x" } }""", "ocelot.json: Routes[0] '/a': RateLimitOptions.Wait: '5x' is not a valid duration; expected a number followed by ms, s, m, h or d (e.g. 500ms, 1s, 1.5m); a bare number means milliseconds" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "RateLimitOptions": { "Limit": 1, "PartitionBy": "Cookie" } }""", "ocelot.json: Routes[0] '/a': RateLimitOptions.PartitionBy: 'Cookie' is not supported; use ClientId, ClientIp or Claim" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "QoSOptions": { "MinimumThroughput": -1 } }""", "ocelot.json: Routes[0] '/a': QoSOptions.MinimumThroughput: must be 0 or greater (0 = no circuit breaker), got -1" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "QoSOptions": { "FailureRatio": 1.5 } }""", "ocelot.json: Routes[0] '/a': QoSOptions.FailureRatio: must be greater than 0 and at most 1, got 1.5" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "QoSOptions": { "DurationOfBreak": -5 } }""", "ocelot.json: Routes[0] '/a': QoSOptions.DurationOfBreak: must be 0 or greater milliseconds, got -5" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "CacheOptions": { "TtlSeconds": -1 } }""", "ocelot.json: Routes[0] '/a': CacheOptions.TtlSeconds: must be 0 or greater (0 disables caching), got -1" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "AuthenticationOptions": { "AuthenticationProviderKeys": ["Foo"] } }""", "ocelot.json: Routes[0] '/a': AuthenticationOptions.AuthenticationProviderKeys: AuthenticationProviderKey 'Foo' is not configured in the gateway settings (Gateway:Authentication:Providers)" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "UpstreamHeaderTransform": { "X-A": "{Nope}" } }""", "ocelot.json: Routes[0] '/a': UpstreamHeaderTransform.X-A: '{Nope}' uses unknown placeholder '{Nope}'; known: {BaseUrl}, {DownstreamBaseUrl}, {RemoteIpAddress}, {TraceId}, {UpstreamHost}" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "DownstreamHeaderTransform": { "X-A": ", replace" } }""", "ocelot.json: Routes[0] '/a': DownstreamHeaderTransform.X-A: ', replace' has an empty find part; use \"find, replace\" or a plain value" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "AddHeadersToRequest": { "X-U": "Claim[sub]" } }""", "ocelot.json: Routes[0] '/a': AddHeadersToRequest.X-U: 'Claim[sub]' is not a claim expression; use \"Claims[type] > value\" or \"Claims[type] > value[index] > delimiter\"" },
        { """{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", HOSTS, "ChangeDownstreamPathTemplate": { "id": "Claims[sub] > value" } }""", "ocelot.json: Routes[0] '/a': ChangeDownstreamPathTemplate.id: placeholder '{id}' does not appear in DownstreamPathTemplate '/b'" },
    };

    [Theory]
    [MemberData(nameof(RouteRules))]
    public void Route_rule_reports_file_route_key_and_reason(string route, string expected)
    {
        var errors = Errors(Document(route.Replace("HOSTS", Hosts)), "Bearer");

        Assert.Equal([expected], errors);
    }

    public static TheoryData<string, string> GlobalRules => new()
    {
        { """ "ServiceDiscoveryProvider": { "Type": "Eureka", "Host": "h", "Port": 1 } """, "ocelot.json: GlobalConfiguration: ServiceDiscoveryProvider.Type: 'Eureka' is not supported by MicroDemo; use Consul or PollConsul (Eureka, Kube, PollKube and ServiceFabric are not available)" },
        { """ "ServiceDiscoveryProvider": { "Host": "h", "Port": 1 } """, "ocelot.json: GlobalConfiguration: ServiceDiscoveryProvider.Type: is required; use Consul or PollConsul" },
        { """ "RateLimitOptions": { "Limit": -1 } """, "ocelot.json: GlobalConfiguration: RateLimitOptions.Limit: must be greater than 0, got -1 (a zero limit would block every request)" },
        { """ "QoSOptions": { "FailureRatio": 0 } """, "ocelot.json: GlobalConfiguration: QoSOptions.FailureRatio: must be greater than 0 and at most 1, got 0" },
        { """ "DownstreamScheme": "gopher" """, "ocelot.json: GlobalConfiguration: DownstreamScheme: 'gopher' is not supported; use one of http, https, ws, wss" },
        { """ "DynamicRoutingFallback": true """, "ocelot.json: GlobalConfiguration: DynamicRoutingFallback: requires ServiceDiscoveryProvider with Type, Host and a Port greater than 0" },
        { """ "AuthenticationOptions": { "AuthenticationProviderKey": "Foo" } """, "ocelot.json: GlobalConfiguration: AuthenticationOptions.AuthenticationProviderKey: AuthenticationProviderKey 'Foo' is not configured in the gateway settings (Gateway:Authentication:Providers)" },
    };

    [Theory]
    [MemberData(nameof(GlobalRules))]
    public void Global_rule_is_reported_once_against_GlobalConfiguration(string global, string expected)
    {
        // Two routes: a global problem must not be repeated for each route.
        var errors = Errors(Document($"{Route("/a")}, {Route("/b")}", global));

        Assert.Equal([expected], errors);
    }

    [Theory]
    [InlineData("""["Get"]""", """["GET","Post"]""", true)]
    [InlineData("[]", """["Delete"]""", true)]
    [InlineData("[]", "[]", true)]
    [InlineData("""["Get"]""", """["Post"]""", false)]
    public void Duplicate_routes_with_overlapping_methods_are_rejected(string methodsA, string methodsB, bool duplicate)
    {
        var errors = Errors(Document(
            $"{Route("/same", $"\"UpstreamHttpMethod\": {methodsA}")}, {Route("/SAME", $"\"UpstreamHttpMethod\": {methodsB}")}"));

        if (duplicate)
        {
            Assert.Equal(
                ["ocelot.json: Routes[1] '/SAME': UpstreamPathTemplate: duplicates Routes[0] '/same': same template, UpstreamHost and header templates with overlapping UpstreamHttpMethod"],
                errors);
        }
        else
        {
            Assert.Empty(errors);
        }
    }

    [Fact]
    public void Aggregate_rules()
    {
        var json = $$"""
            {
              "Routes": [
                {{Route("/u", "\"Key\": \"users\"")}},
                {{Route("/o", "\"Key\": \"orders\", \"RequestIdKey\": \"X-Id\"")}},
                {{Route("/agg", "\"UpstreamHttpMethod\": [\"Get\"]")}}
              ],
              "Aggregates": [
                { "UpstreamPathTemplate": "/agg", "RouteKeys": ["users", "missing"] },
                { "UpstreamPathTemplate": "/agg", "RouteKeys": ["orders"], "RouteKeysConfig": [{ "RouteKey": "other", "JsonPath": "$.x", "Parameter": "p" }] },
                { "UpstreamPathTemplate": "/empty" }
              ]
            }
            """;

        Assert.Equal(
            [
                "ocelot.json: Routes[2] '/agg': UpstreamPathTemplate: duplicates Aggregates[0] '/agg': a route and an aggregate cannot share a template, UpstreamHost and method",
                "ocelot.json: Routes[2] '/agg': UpstreamPathTemplate: duplicates Aggregates[1] '/agg': a route and an aggregate cannot share a template, UpstreamHost and method",
                "ocelot.json: Aggregates[0] '/agg': RouteKeys: no route has Key 'missing'",
                "ocelot.json: Aggregates[1] '/agg': UpstreamPathTemplate: duplicates Aggregates[0] '/agg'",
                "ocelot.json: Aggregates[1] '/agg': RouteKeys: Routes[1] '/o' (Key 'orders') has a RequestIdKey, which aggregated routes cannot have",
                "ocelot.json: Aggregates[1] '/agg': RouteKeysConfig.RouteKey: 'other' is not listed in RouteKeys",
                "ocelot.json: Aggregates[2] '/empty': RouteKeys: must list the Key of at least one route",
            ],
            Errors(json));
    }

    private const string NothingToRoute =
        "ocelot.json: (document): Routes: is empty and dynamic routing is off (no GlobalConfiguration.ServiceDiscoveryProvider with Type, Host and Port), "
        + "so every request would get 404; add a route, or a service discovery provider to route /{service}/... dynamically";

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "Routes": [], "GlobalConfiguration": { "BaseUrl": "http://localhost:5000" } }""")]
    [InlineData("""{ "Aggregates": [], "DynamicRoutes": [] }""")]
    public void A_document_that_routes_nothing_is_refused(string json)
    {
        Assert.Equal([NothingToRoute], Errors(json));
    }

    [Fact]
    public void No_routes_with_service_discovery_is_dynamic_routing()
    {
        Assert.Empty(Errors("""{ "GlobalConfiguration": { "ServiceDiscoveryProvider": { "Type": "Consul", "Host": "localhost", "Port": 8500 } } }"""));
    }

    [Fact]
    public void Dynamic_route_rules()
    {
        var json = """
            { "DynamicRoutes": [ { "ServiceName": "users" }, { "ServiceName": "USERS" }, { "DownstreamScheme": "http" } ] }
            """;

        Assert.Equal(
            [
                NothingToRoute,
                "ocelot.json: DynamicRoutes[0] 'users': ServiceName: requires GlobalConfiguration.ServiceDiscoveryProvider with Type (Consul or PollConsul), Host and Port; none is configured",
                "ocelot.json: DynamicRoutes[1] 'USERS': ServiceName: 'USERS' is already configured by DynamicRoutes[0] 'users'",
                "ocelot.json: DynamicRoutes[1] 'USERS': ServiceName: requires GlobalConfiguration.ServiceDiscoveryProvider with Type (Consul or PollConsul), Host and Port; none is configured",
                "ocelot.json: DynamicRoutes[2] '': ServiceName: is required for a dynamic route",
                "ocelot.json: DynamicRoutes[2] '': ServiceName: requires GlobalConfiguration.ServiceDiscoveryProvider with Type (Consul or PollConsul), Host and Port; none is configured",
            ],
            Errors(json));
    }

    [Fact]
    public void Every_error_is_collected_in_one_pass()
    {
        var json = Document($$"""
            { "UpstreamPathTemplate": "a", "DownstreamPathTemplate": "", "DownstreamScheme": "ftp",
              "RateLimitOptions": { "Limit": 0, "Period": "x" }, "LoadBalancerOptions": { "Type": "Random" } },
            { "UpstreamPathTemplate": "/ok", "DownstreamPathTemplate": "/b", "ServiceName": "users",
              "AuthenticationOptions": { "AuthenticationProviderKeys": ["Foo", "Bar"] } }
            """);

        var errors = Errors(json);

        Assert.Equal(10, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("ocelot.json: Routes[0] 'a': UpstreamPathTemplate:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ocelot.json: Routes[0] 'a': DownstreamPathTemplate: cannot be empty", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ocelot.json: Routes[0] 'a': DownstreamHostAndPorts:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ocelot.json: Routes[1] '/ok': ServiceName:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'Bar' is not configured", StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_configuration_with_discovery_and_known_schemes_has_no_errors()
    {
        var json = Document(
            $$"""{ "UpstreamPathTemplate": "/u/{rest}", "DownstreamPathTemplate": "/{rest}", "ServiceName": "users", "AuthenticationOptions": { "AuthenticationProviderKeys": ["Bearer"] } }""",
            Discovery);

        Assert.Empty(Errors(json, "Bearer"));
    }
}
