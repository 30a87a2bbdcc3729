using Microsoft.AspNetCore.Http;
using MicroDemo.Gateway.Routing;

namespace MicroDemo.Gateway.Tests.Routing;

public sealed class DownstreamPathTemplateTests
{
    [Theory]
    // Placeholder substitution.
    [InlineData("/api/products/{id}", "id=1", "/products/1", "", "/api/products/1")]
    [InlineData("/{everything}", "everything=a/b/c", "/x/a/b/c", "", "/a/b/c")]
    [InlineData("/api/{missing}", "", "/x", "", "/api/%7Bmissing%7D")]
    [InlineData("/api/{Id}", "id=1", "/x", "", "/api/%7BId%7D")]
    // Trailing slash the upstream path did not have is removed.
    [InlineData("/products/", "", "/products", "", "/products")]
    [InlineData("/products/", "", "/products/", "", "/products/")]
    [InlineData("/products/{id}", "id=", "/products", "", "/products")]
    [InlineData("/", "", "/api", "", "/")]
    // Without '?' in the template: original query minus parameters consumed as placeholders (case-insensitively).
    [InlineData("/api/{id}", "id=1", "/x/1", "?id=1&x=2", "/api/1?x=2")]
    [InlineData("/api/{id}", "id=1", "/x/1", "?ID=1&x=2", "/api/1?x=2")]
    [InlineData("/api/{id}", "id=1", "/x/1", "?id=1", "/api/1")]
    [InlineData("/api", "", "/x", "?a=1&a=2&b=%20+", "/api?a=1&a=2&b=%20+")]
    [InlineData("/api/{id}", "id=1", "/x/1", "?a=1&a=2&c", "/api/1?a=1&a=2&c")]
    // With '?' in the template: merged, template wins, original parameters named like a placeholder dropped (case-sensitively).
    [InlineData("/api/subscriptions/{subscriptionId}/updates?unitId={unitId}", "subscriptionId=1|unitId=2", "/api/units/1/2/updates", "?productId=3", "/api/subscriptions/1/updates?unitId=2&productId=3")]
    [InlineData("/api/subscriptions/{subscriptionId}/updates?unitId={unitId}", "subscriptionId=1|unitId=2", "/api/units/1/2/updates", "?unitId=99&x=1", "/api/subscriptions/1/updates?unitId=2&x=1")]
    [InlineData("/api/subscriptions/{subscriptionId}/updates?unitId={unitId}", "subscriptionId=1|unitId=2", "/api/units/1/2/updates", "", "/api/subscriptions/1/updates?unitId=2")]
    [InlineData("/api?x=1", "", "/up", "?x=2&y=3", "/api?x=1&y=3")]
    [InlineData("/api/{id}?x=1", "id=5", "/up/5", "?ID=5&id=5", "/api/5?x=1&ID=5")]
    [InlineData("/api?b=1", "", "/up", "?a=1&a=2", "/api?b=1&a=1&a=2")]
    // Catch-all query: the placeholder is empty and the original query passes through.
    [InlineData("/api/items?{query}", "query=", "/api/items", "?a=1&b=2", "/api/items?a=1&b=2")]
    [InlineData("/api/items?{query}", "query=", "/api/items", "", "/api/items")]
    [InlineData("/api/items", "query=", "/api/items", "?a=1&query=2", "/api/items?a=1")]
    // Values are escaped for the URI; already escaped text is kept.
    [InlineData("/api/{name}", "name=a b", "/x", "", "/api/a%20b")]
    [InlineData("/api/{name}", "name=a%20b", "/x", "", "/api/a%20b")]
    [InlineData("/api/{name}", "name=caf\u00e9", "/x", "", "/api/caf%C3%A9")]
    [InlineData("/api?tag={tag}", "tag=a#b", "/x", "", "/api?tag=a%23b")]
    public void Builds_the_downstream_path_and_query(string template, string values, string upstreamPath, string query, string expected)
    {
        var compiled = DownstreamPathTemplate.Create(template);

        var built = compiled.BuildPathAndQuery(Values(values), new PathString(upstreamPath), new QueryString(query.Length == 0 ? null : query));

        Assert.Equal(expected, built);
    }

    [Fact]
    public void Extra_values_win_over_captured_ones_and_count_as_placeholders()
    {
        var compiled = DownstreamPathTemplate.Create("/users/{userId}/orders");

        var built = compiled.BuildPathAndQuery(Values("userId=1"), new PathString("/me/orders"), new QueryString("?userId=1&page=2"), [new("userId", "42")]);

        Assert.Equal("/users/42/orders?page=2", built);
    }

    [Theory]
    [InlineData("/api/{everything}", "/routed/api/{everything}", "/api/debug()", "", "/routed/api/debug()")]
    [InlineData("/api/{everything}", "/routed/api/{everything}", "/api/a b/c", "", "/routed/api/a%20b/c")]
    [InlineData("/api/{everything}", "/routed/api/{everything}", "/api/a%2Fb", "", "/routed/api/a%2Fb")]
    [InlineData("/upstream/test/{everything}", "/downstream/{everything}", "/upstream/test", "", "/downstream")]
    [InlineData("/upstream/test/{everything}", "/downstream/{everything}", "/upstream/test/", "", "/downstream/")]
    [InlineData("/api/invoices_{a}/{b}-{c}_abcd/{d}?urlId={e}", "/invoices/{a}/{b}/{c}/{d}?id={e}", "/api/invoices_1/2-3_abcd/4", "?urlId=5&x=y", "/invoices/1/2/3/4?id=5&urlId=5&x=y")]
    public void Upstream_match_then_downstream_build(string upstream, string downstream, string path, string query, string expected)
    {
        var upstreamTemplate = UpstreamPathTemplate.Create(upstream);
        var pathString = new PathString(path);
        var queryString = new QueryString(query.Length == 0 ? null : query);
        Assert.True(upstreamTemplate.IsMatch(pathString, queryString));

        var built = DownstreamPathTemplate.Create(downstream)
            .BuildPathAndQuery(upstreamTemplate.ExtractPlaceholders(pathString, queryString), pathString, queryString);

        Assert.Equal(expected, built);
    }

    [Fact]
    public void Reports_which_placeholders_the_template_uses()
    {
        var compiled = DownstreamPathTemplate.Create("/users/{userId}/orders?x={x}");

        Assert.True(compiled.ContainsPlaceholder("userId"));
        Assert.True(compiled.ContainsPlaceholder("x"));
        Assert.False(compiled.ContainsPlaceholder("UserId"));
    }

    private static PlaceholderValues Values(string spec)
        => spec.Length == 0
            ? PlaceholderValues.Empty
            : new(spec.Split('|').Select(pair => pair.Split('=', 2)).Select(p => new Placeholder(p[0], p[1])).ToArray());
}
