using MicroDemo.Gateway.Configuration;
using static MicroDemo.Gateway.Tests.Configuration.ConfigurationTestData;

namespace MicroDemo.Gateway.Tests.Configuration;

public sealed class FileConfigurationJsonTests
{
    [Fact]
    public void Every_route_key_binds()
    {
        const string json = """
        {
          "Routes": [{
            "UpstreamPathTemplate": "/api/{id}", "UpstreamHttpMethod": ["Get", "post"], "UpstreamHost": "example.com",
            "UpstreamHeaderTemplates": { "X-Tenant": "{header:tenant}" }, "RouteIsCaseSensitive": true, "Priority": 5,
            "DownstreamPathTemplate": "/items/{id}", "DownstreamScheme": "HTTPS",
            "DownstreamHostAndPorts": [{ "Host": "a", "Port": 1 }, { "Host": "b", "Port": 2 }],
            "ServiceNamespace": "ns", "Key": "k1",
            "LoadBalancerOptions": { "Type": "roundrobin" },
            "AuthenticationOptions": { "AuthenticationProviderKeys": ["Bearer"], "AllowedScopes": ["s1"], "AllowAnonymous": false },
            "RouteClaimsRequirement": { "role": "admin" },
            "AddHeadersToRequest": { "X-User": "Claims[sub] > value" },
            "AddClaimsToRequest": { "uid": "Claims[sub] > value" },
            "AddQueriesToRequest": { "u": "Claims[sub] > value[0] > |" },
            "ChangeDownstreamPathTemplate": { "id": "Claims[sub] > value" },
            "UpstreamHeaderTransform": { "X-A": "1" }, "DownstreamHeaderTransform": { "X-B": "find, replace" },
            "RateLimitOptions": { "ClientWhitelist": ["c"], "Limit": 3, "Period": "2s", "Wait": "1m", "StatusCode": 418,
                                  "QuotaMessage": "{0}/{1}", "KeyPrefix": "p", "EnableHeaders": false, "ClientIdHeader": "X-Client",
                                  "PartitionBy": "Claim", "PartitionClaim": "tenant" },
            "CacheOptions": { "TtlSeconds": 10, "Region": "r", "Header": "X-Cache", "EnableContentHashing": true },
            "QoSOptions": { "MinimumThroughput": 3, "BreakDuration": 1000, "FailureRatio": 0.5, "SamplingDuration": 2000, "Timeout": 300 },
            "HttpHandlerOptions": { "AllowAutoRedirect": true, "MaxConnectionsPerServer": 7, "PooledConnectionLifetimeSeconds": 30,
                                    "UseCookieContainer": true, "UseProxy": true, "UseTracing": true },
            "DownstreamHttpVersion": "2.0", "DownstreamHttpVersionPolicy": "RequestVersionExact", "DownstreamHttpMethod": "post",
            "RequestIdKey": "X-Req", "DelegatingHandlers": ["H1"], "DangerousAcceptAnyServerCertificateValidator": true,
            "SecurityOptions": { "IPAllowedList": ["10.0.0.1"], "IPBlockedList": ["10.0.0.2"], "ExcludeAllowedFromBlocked": true },
            "Timeout": 12, "Metadata": { "m": "v" }
          }]
        }
        """;
        var route = Assert.Single(LoadValid(json, "Bearer").Routes);

        Assert.Equal("/api/{id}", route.UpstreamPathTemplate);
        Assert.Equal(["GET", "POST"], route.UpstreamHttpMethods.Order());
        Assert.True(route.UpstreamHttpMethods.Contains("get"));
        Assert.Equal("example.com", route.UpstreamHost);
        Assert.Equal("{header:tenant}", route.UpstreamHeaderTemplates["x-tenant"]);
        Assert.True(route.RouteIsCaseSensitive);
        Assert.Equal(5, route.Priority);
        Assert.Equal("https", route.DownstreamScheme);
        Assert.Equal([new DownstreamHostAndPort("a", 1), new DownstreamHostAndPort("b", 2)], route.DownstreamHostAndPorts);
        Assert.Equal("ns", route.ServiceNamespace);
        Assert.Equal("k1", route.Key);
        Assert.Equal("RoundRobin", route.LoadBalancer.Type);
        Assert.Equal(["Bearer"], route.Authentication.ProviderKeys);
        Assert.Equal(["s1"], route.Authentication.AllowedScopes);
        Assert.True(route.Authentication.RequiresAuthentication);
        Assert.Equal("admin", route.RouteClaimsRequirement["role"]);
        Assert.Equal("Claims[sub] > value", route.AddHeadersToRequest["x-user"]);
        Assert.Equal("Claims[sub] > value", route.AddClaimsToRequest["uid"]);
        Assert.Equal("Claims[sub] > value[0] > |", route.AddQueriesToRequest["u"]);
        Assert.Equal("Claims[sub] > value", route.ChangeDownstreamPathTemplate["id"]);
        Assert.Equal("1", route.UpstreamHeaderTransform["X-A"]);
        Assert.Equal("find, replace", route.DownstreamHeaderTransform["X-B"]);

        var rateLimit = route.RateLimit;
        Assert.True(rateLimit.Enabled);
        Assert.Equal(["c"], rateLimit.ClientWhitelist);
        Assert.Equal(3, rateLimit.Limit);
        Assert.Equal(TimeSpan.FromSeconds(2), rateLimit.Period);
        Assert.Equal(TimeSpan.FromMinutes(1), rateLimit.Wait);
        Assert.Equal(418, rateLimit.StatusCode);
        Assert.Equal("{0}/{1}", rateLimit.QuotaMessage);
        Assert.Equal("p", rateLimit.KeyPrefix);
        Assert.False(rateLimit.EnableHeaders);
        Assert.Equal("X-Client", rateLimit.ClientIdHeader);
        Assert.Equal(RateLimitPartition.Claim, rateLimit.PartitionBy);
        Assert.Equal("tenant", rateLimit.PartitionClaim);

        Assert.Equal(new CacheSettings(10, "r", "X-Cache", true), route.Cache);
        Assert.Equal(new QosSettings(3, TimeSpan.FromSeconds(1), 0.5, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(300)), route.Qos);
        Assert.Equal(new HttpHandlerSettings(true, 7, TimeSpan.FromSeconds(30), true, true, true), route.HttpHandler);
        Assert.Equal(new Version(2, 0), route.DownstreamHttpVersion);
        Assert.Equal(HttpVersionPolicy.RequestVersionExact, route.DownstreamHttpVersionPolicy);
        Assert.Equal("POST", route.DownstreamHttpMethod);
        Assert.Equal("X-Req", route.RequestIdKey);
        Assert.Equal(["H1"], route.DelegatingHandlers);
        Assert.True(route.DangerousAcceptAnyServerCertificateValidator);
        Assert.Equal(["10.0.0.1"], route.Security.IPAllowedList);
        Assert.Equal(["10.0.0.2"], route.Security.IPBlockedList);
        Assert.True(route.Security.ExcludeAllowedFromBlocked);
        Assert.Equal(TimeSpan.FromSeconds(12), route.Timeout);
        Assert.Equal("v", route.Metadata["m"]);
    }

    [Fact]
    public void Keys_are_case_insensitive_comments_and_trailing_commas_are_tolerated_unknown_keys_ignored()
    {
        const string json = """
        {
          // a comment
          "routes": [{
            "upstreampathtemplate": "/a", /* inline */
            "DOWNSTREAMPATHTEMPLATE": "/b",
            "downstreamHostAndPorts": [{ "host": "localhost", "PORT": 80, }],
            "MyCustomProperty": { "anything": [1, 2] },
          },],
          "globalconfiguration": { "requestidkey": "X-Id", },
        }
        """;
        var configuration = LoadValid(json);

        var route = Assert.Single(configuration.Routes);
        Assert.Equal("/b", route.DownstreamPathTemplate);
        Assert.Equal("localhost", route.DownstreamHostAndPorts[0].Host);
        Assert.Equal("X-Id", route.RequestIdKey);
    }

    [Fact]
    public void Numbers_and_booleans_written_as_strings_bind()
    {
        var route = SingleRoute("""
            "Priority": "3", "RouteIsCaseSensitive": "true", "Timeout": "15", "DownstreamHttpVersion": 2,
            "QoSOptions": { "MinimumThroughput": "2", "FailureRatio": "0.25" },
            "HttpHandlerOptions": { "UseProxy": "True" }
            """);

        Assert.Equal(3, route.Priority);
        Assert.True(route.RouteIsCaseSensitive);
        Assert.Equal(TimeSpan.FromSeconds(15), route.Timeout);
        Assert.Equal(new Version(2, 0), route.DownstreamHttpVersion);
        Assert.Equal(2, route.Qos.MinimumThroughput);
        Assert.Equal(0.25, route.Qos.FailureRatio);
        Assert.True(route.HttpHandler.UseProxy);
        Assert.Equal(5001, route.DownstreamHostAndPorts[0].Port);
    }

    [Fact]
    public void Port_given_as_string_binds()
    {
        var json = Document("""{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", "DownstreamHostAndPorts": [{ "Host": "h", "Port": "80" }] }""");

        Assert.Equal(80, LoadValid(json).Routes[0].DownstreamHostAndPorts[0].Port);
    }

    [Theory]
    [InlineData("{ \"Routes\": [ { \"UpstreamPathTemplate\": \"/a\" \n \"x\": 1 } ] }", "ocelot.json: line 2, position 2: $.Routes[0]")]
    [InlineData("{ \"Routes\": [ { \"DownstreamHostAndPorts\": [ { \"Port\": \"eighty\" } ] } ] }", "ocelot.json: line 1, position ")]
    [InlineData("null", "ocelot.json: (file): (root): the file must contain a JSON object, not null")]
    [InlineData("", "ocelot.json: line 1, position 1: (root): The input does not contain any JSON tokens")]
    public void Syntax_and_type_errors_name_the_file_and_line(string json, string expectedStart)
    {
        var error = Assert.Single(Errors(json));

        Assert.StartsWith(expectedStart, error);
        Assert.DoesNotContain("LineNumber", error);
    }

    [Fact]
    public void Type_error_names_the_json_path()
    {
        var error = Assert.Single(Errors("{ \"Routes\": [ { \"DownstreamHostAndPorts\": [ { \"Port\": \"eighty\" } ] } ] }"));

        Assert.Contains("$.Routes[0].DownstreamHostAndPorts[0].Port", error);
        Assert.Contains("could not be converted", error);
    }

    [Fact]
    public void CacheOptions_Shared_binds_and_defaults_to_false_and_a_non_boolean_is_an_error_naming_it()
    {
        Assert.True(SingleRoute("""
            "CacheOptions": { "TtlSeconds": 10, "Shared": true }
            """).Cache.Shared);
        Assert.False(SingleRoute("""
            "CacheOptions": { "TtlSeconds": 10 }
            """).Cache.Shared);

        var error = Assert.Single(Errors(Document("""{ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b", "DownstreamHostAndPorts": [{ "Host": "h", "Port": 80 }], "CacheOptions": { "Shared": "everyone" } }""")));
        Assert.Contains("$.Routes[0].CacheOptions.Shared", error);
    }
}
