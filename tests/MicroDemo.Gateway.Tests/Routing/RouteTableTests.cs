using Microsoft.AspNetCore.Http;
using MicroDemo.Gateway.Routing;

namespace MicroDemo.Gateway.Tests.Routing;

public sealed class RouteTableTests
{
    [Fact]
    public void Higher_priority_wins_over_file_order()
    {
        var table = Table(
            Entry("general", "/api/{everything}"),
            Entry("specific", "/api/products/{id}") with { Priority = 2 });

        Assert.Equal("specific", Match(table, "/api/products/1"));
    }

    [Fact]
    public void Equal_priority_keeps_file_order_and_there_is_no_longest_match()
    {
        var table = Table(
            Entry("general", "/api/{everything}"),
            Entry("specific", "/api/products/{id}"));

        Assert.Equal("general", Match(table, "/api/products/1"));
    }

    [Fact]
    public void The_catch_all_at_priority_zero_only_takes_what_nothing_else_matches()
    {
        var table = Table(
            Entry("catch-all", "/{url}") with { Priority = 0 },
            Entry("products", "/products/{id}"));

        Assert.Equal("products", Match(table, "/products/1"));
        Assert.Equal("catch-all", Match(table, "/anything/else"));
    }

    [Theory]
    [InlineData("api.example.com", "host-bound")]
    [InlineData("api.example.com:5000", "host-bound")]
    [InlineData("other.example.com", "any-host")]
    [InlineData("API.example.com", "any-host")]
    public void A_matching_route_with_UpstreamHost_wins_even_over_higher_priority(string host, string expected)
    {
        var table = Table(
            Entry("any-host", "/api/{x}") with { Priority = 10 },
            Entry("host-bound", "/api/{x}") with { UpstreamHost = "api.example.com" });

        Assert.Equal(expected, Match(table, "/api/1", host: host));
    }

    [Fact]
    public void UpstreamHost_is_compared_without_the_port_for_IPv6_too()
    {
        var table = Table(Entry("v6", "/a") with { UpstreamHost = "[::1]" });

        Assert.Equal("v6", Match(table, "/a", host: "[::1]:8080"));
    }

    [Fact]
    public void A_route_bound_to_another_host_is_not_a_candidate()
    {
        var table = Table(Entry("host-bound", "/api/{x}") with { UpstreamHost = "api.example.com" });

        Assert.Null(Match(table, "/api/1", host: "localhost"));
    }

    [Theory]
    [InlineData("GET", "read")]
    [InlineData("get", "read")]
    [InlineData("POST", "write")]
    [InlineData("DELETE", "any")]
    public void Methods_filter_candidates_case_insensitively(string method, string expected)
    {
        var table = Table(
            Entry("read", "/items") with { Methods = ["Get"] },
            Entry("write", "/items") with { Methods = ["POST", "PUT"] },
            Entry("any", "/items"));

        Assert.Equal(expected, Match(table, "/items", method: method));
    }

    [Fact]
    public void A_method_that_is_not_allowed_is_no_match_rather_than_405()
    {
        var table = Table(Entry("read", "/items") with { Methods = ["GET"] });

        Assert.Null(Match(table, "/items", method: "POST"));
    }

    [Fact]
    public void Header_templates_gate_the_route_and_captures_follow_path_placeholders()
    {
        var table = Table(
            Entry("by-country", "/shop/{id}") with
            {
                HeaderTemplates = UpstreamHeaderTemplates.Create(new Dictionary<string, string> { ["country"] = "{header:countrycode}" }),
            },
            Entry("fallback", "/shop/{id}"));

        Assert.True(table.TryMatch("GET", new HostString("gw"), "/shop/7", QueryString.Empty, new HeaderDictionary { ["Country"] = "uk" }, out var match));
        Assert.Equal("by-country", match.Route);
        Assert.Equal("id=7|countrycode=uk", UpstreamPathTemplateTests.Format(match.Placeholders));

        Assert.Equal("fallback", Match(table, "/shop/7"));
    }

    [Fact]
    public void Query_templates_take_part_in_selection()
    {
        var table = Table(
            Entry("by-query", "/search?term={term}"),
            Entry("plain", "/search"));

        Assert.True(table.TryMatch("GET", new HostString("gw"), "/search", new QueryString("?term=abc"), new HeaderDictionary(), out var match));
        Assert.Equal("by-query", match.Route);
        Assert.True(match.Placeholders.TryGetValue("term", out var term));
        Assert.Equal("abc", term);

        Assert.Equal("plain", Match(table, "/search"));
    }

    [Fact]
    public void Nothing_matching_is_no_match()
    {
        var table = Table(Entry("products", "/products"));

        Assert.Null(Match(table, "/orders"));
        Assert.Null(Match(Table(), "/orders"));
    }

    [Fact]
    public void Case_sensitivity_is_per_route()
    {
        var table = Table(
            new RouteEntry<string>("sensitive", UpstreamPathTemplate.Create("/Items", caseSensitive: true)),
            Entry("insensitive", "/items"));

        Assert.Equal("sensitive", Match(table, "/Items"));
        Assert.Equal("insensitive", Match(table, "/ITEMS"));
    }

    [Fact]
    public void Allowed_methods_are_those_of_every_entry_owning_the_path_on_that_host()
    {
        var table = Table(
            Entry("read", "/api/users") with { Methods = ["get"] },
            Entry("write", "/api/users") with { Methods = ["POST"] },
            Entry("other-host", "/api/users") with { Methods = ["DELETE"], UpstreamHost = "admin.example" },
            Entry("other-path", "/api/orders") with { Methods = ["PUT"] });
        var allowed = new SortedSet<string>();

        table.CollectAllowedMethods(new HostString("localhost"), "/api/users", QueryString.Empty, new HeaderDictionary(), allowed);

        Assert.Equal(["GET", "POST"], allowed);
    }

    [Theory]
    [InlineData("/svc999/orders", "svc999")]
    [InlineData("/SVC999", "svc999")]
    [InlineData("/svc5/x", "svc5")]
    [InlineData("/v2/svc999/x", "any-first-segment")]
    [InlineData("/svc1000/x", "catch-all")]
    public void Among_many_routes_order_and_priority_still_decide(string path, string expected)
    {
        var routes = Enumerable.Range(0, 1000).Select(i => Entry($"svc{i}", $"/svc{i}/{{rest}}")).ToList();
        routes.Insert(500, Entry("any-first-segment", "/{version}/svc999/{rest}"));
        routes.Add(Entry("catch-all", "/{url}") with { Priority = 0 });

        Assert.Equal(expected, Match(Table([.. routes]), path));
    }

    [Fact]
    public void A_route_whose_first_segment_is_a_placeholder_keeps_its_place_in_the_order()
    {
        var table = Table(
            Entry("placeholder-first", "/{tenant}/orders"),
            Entry("literal", "/acme/orders"),
            Entry("higher", "/acme/{rest}") with { Priority = 2 });

        Assert.Equal("higher", Match(table, "/acme/orders"));
        Assert.Equal("placeholder-first", Match(table, "/other/orders"));
    }

    private static RouteEntry<string> Entry(string name, string template) => new(name, UpstreamPathTemplate.Create(template));

    private static RouteTable<string> Table(params RouteEntry<string>[] entries) => new(entries);

    private static string? Match(RouteTable<string> table, string path, string method = "GET", string host = "localhost")
        => table.TryMatch(method, new HostString(host), path, QueryString.Empty, new HeaderDictionary(), out var match)
            ? match.Route
            : null;
}
