using Microsoft.AspNetCore.Http;
using MicroDemo.Gateway.Routing;

namespace MicroDemo.Gateway.Tests.Routing;

public sealed class UpstreamPathTemplateTests
{
    [Theory]
    // A trailing placeholder is a catch-all; a placeholder followed by '/' stops at '/'.
    [InlineData("/products/{id}", "/products/1", "", true)]
    [InlineData("/products/{id}", "/products/1/2/3", "", true)]
    [InlineData("/products/{id}", "/products", "", true)]
    [InlineData("/products/{id}", "/productsX", "", false)]
    [InlineData("/api/v{ver}/cards", "/api/v1/cards", "", true)]
    [InlineData("/api/v{ver}/cards", "/api/v1/x/cards", "", false)]
    [InlineData("/api/{a}/{b}", "/api/x", "", true)]
    [InlineData("/api/{a}/{b}", "/api", "", false)]
    // Optional last segment of a trailing catch-all.
    [InlineData("/upstream/test/{everything}", "/upstream/test", "", true)]
    [InlineData("/upstream/test/{everything}", "/upstream/test/", "", true)]
    [InlineData("/upstream/test/{everything}", "/upstream/test/a/b", "", true)]
    [InlineData("/upstream/test/{everything}", "/upstream/test123", "", false)]
    // Trailing slash rules.
    [InlineData("/products/", "/products", "", true)]
    [InlineData("/products/", "/products/", "", true)]
    [InlineData("/products", "/products", "", true)]
    [InlineData("/products", "/products/", "", false)]
    [InlineData("/products/{id}/", "/products/1", "", true)]
    [InlineData("/products/{id}/", "/products/1/", "", true)]
    // Root and the /{x} catch-all.
    [InlineData("/", "/", "", true)]
    [InlineData("/", "/a", "", false)]
    [InlineData("/{url}", "/", "", true)]
    [InlineData("/{url}", "/anything/at/all", "?x=1", true)]
    [InlineData("/{url}", "", "", true)]
    // Case-insensitive by default.
    [InlineData("/PRODUCTS/{id}", "/products/1", "", true)]
    [InlineData("/products", "/PRODUCTS", "", true)]
    // Template characters are literal.
    [InlineData("/a.b/{x}", "/axb/1", "", false)]
    [InlineData("/a.b/{x}", "/a.b/1", "", true)]
    [InlineData("/v1+json", "/v1+json", "", true)]
    [InlineData("/v1+json", "/v11json", "", false)]
    // The query is ignored unless the template has '?'.
    [InlineData("/products/{id}", "/products/1", "?x=1", true)]
    [InlineData("/products", "/products", "?x=1", true)]
    // Query templates match against path + query.
    [InlineData("/api/invoices_{a}/{b}-{c}_abcd/{d}?urlId={e}", "/api/invoices_1/2-3_abcd/4", "?urlId=5", true)]
    [InlineData("/api/invoices_{a}/{b}-{c}_abcd/{d}?urlId={e}", "/api/invoices_1/2-3_abcd/4", "", false)]
    [InlineData("/api/invoices_{a}/{b}-{c}_abcd/{d}?urlId={e}", "/api/invoices_1/23_abcd/4", "?urlId=5", false)]
    [InlineData("/products/{id}?q={q}", "/products/1", "?q=2", true)]
    [InlineData("/products/{id}?q={q}", "/products/1", "", false)]
    [InlineData("/products/{id}?q={q}", "/products/1/2", "?q=2", false)]
    [InlineData("/api/items?{query}", "/api/items", "", true)]
    [InlineData("/api/items?{query}", "/api/items", "?a=1&b=2", true)]
    [InlineData("/api/items?{query}", "/api/items/", "?a=1", true)]
    [InlineData("/api/items?{query}", "/api/itemsX", "", false)]
    // ASP.NET gives a decoded path; it is compared re-escaped, as Ocelot does.
    [InlineData("/routed/debug()", "/routed/debug()", "", true)]
    [InlineData("/my%20files/{x}", "/my files/a", "", true)]
    public void Matches_as_Ocelot_does(string template, string path, string query, bool expected)
    {
        var compiled = UpstreamPathTemplate.Create(template);

        Assert.Equal(expected, compiled.IsMatch(new PathString(path), new QueryString(query.Length == 0 ? null : query)));
    }

    [Theory]
    [InlineData("/PRODUCTS/{id}", "/products/1", false)]
    [InlineData("/products/{id}", "/products/1", true)]
    [InlineData("/Products", "/products", false)]
    [InlineData("/Products/", "/Products/", true)]
    public void RouteIsCaseSensitive_compares_exactly(string template, string path, bool expected)
    {
        var compiled = UpstreamPathTemplate.Create(template, caseSensitive: true);

        Assert.Equal(expected, compiled.IsMatch(new PathString(path), QueryString.Empty));
    }

    [Theory]
    [InlineData("/products/{id}", "/products/1", "", "id=1")]
    [InlineData("/products/{id}", "/products/1/2/3", "", "id=1/2/3")]
    [InlineData("/products/{id}", "/products/1", "?id=7", "id=1")]
    [InlineData("/upstream/test/{everything}", "/upstream/test", "", "everything=")]
    [InlineData("/upstream/test/{everything}", "/upstream/test/a/b", "", "everything=a/b")]
    [InlineData("/api/{a}/{b}", "/api/x", "", "a=x|b=")]
    [InlineData("/{url}", "/a/b", "", "url=a/b")]
    [InlineData("/{url}", "/", "", "url=")]
    [InlineData("/users/{userId}/orders/{orderId}", "/Users/1/ORDERS/2", "", "userId=1|orderId=2")]
    [InlineData("/api/invoices_{a}/{b}-{c}_abcd/{d}?urlId={e}", "/api/invoices_1/2-3_abcd/4", "?urlId=5", "a=1|b=2|c=3|d=4|e=5")]
    [InlineData("/api/invoices_{a}/{b}-{c}_abcd/{d}?urlId={e}", "/api/invoices_x/y-z-w_abcd/4", "?urlId=5&other=1", "a=x|b=y-z|c=w|d=4|e=5")]
    [InlineData("/api/units/{subscriptionId}/{unitId}/updates?unitId={unitIdIty}", "/api/units/1/2/updates", "?unitId=3", "subscriptionId=1|unitId=2|unitIdIty=3")]
    [InlineData("/api/items?{query}", "/api/items", "?a=1&b=2", "query=")]
    [InlineData("/api/v{version}/cards", "/api/v2/cards", "", "version=2")]
    [InlineData("/files/{name}.json", "/files/report.json", "", "name=report")]
    [InlineData("/products/{id}", "/products/a b", "", "id=a%20b")]
    [InlineData("/products/{id}", "/products/a%2Fb", "", "id=a%2Fb")]
    [InlineData("/items/{item-id}", "/items/42", "", "item-id=42")]
    // One literal then one placeholder is extracted by prefix (no regex): the same values as the pattern would give.
    [InlineData("/API/{rest}", "/api/a/b", "", "rest=a/b")]
    [InlineData("/api/{rest}", "/api/a&b", "", "rest=a")]
    [InlineData("/api/{rest}", "/api", "", "rest=")]
    [InlineData("/search?q={q}", "/search", "?q=x&page=2", "q=x")]
    public void Extracts_placeholders_as_Ocelot_does(string template, string path, string query, string expected)
    {
        var compiled = UpstreamPathTemplate.Create(template);
        var pathString = new PathString(path);
        var queryString = new QueryString(query.Length == 0 ? null : query);
        Assert.True(compiled.IsMatch(pathString, queryString));

        var values = compiled.ExtractPlaceholders(pathString, queryString);

        Assert.Equal(expected, Format(values));
    }

    [Theory]
    [InlineData("/{url}", true)]
    [InlineData("/{everything}", true)]
    [InlineData("/{url}/", false)]
    [InlineData("/api/{url}", false)]
    [InlineData("/{a}{b}", false)]
    [InlineData("/{a}/b", false)]
    [InlineData("/", false)]
    public void Recognises_the_catch_all_template(string template, bool expected)
    {
        Assert.Equal(expected, UpstreamPathTemplate.IsCatchAllTemplate(template));
        Assert.Equal(expected, UpstreamPathTemplate.Create(template).IsCatchAll);
    }

    [Theory]
    [InlineData("/api/{id")]
    [InlineData("/api/{}")]
    [InlineData("/api/{a{b}")]
    public void Malformed_placeholders_are_rejected_at_load(string template)
    {
        var error = Assert.Throws<FormatException>(() => UpstreamPathTemplate.Create(template));
        Assert.Contains(template, error.Message);
    }

    [Fact]
    public void Exposes_placeholder_names_without_braces()
    {
        var compiled = UpstreamPathTemplate.Create("/api/{a}/{b}?c={c}");

        Assert.Equal(["a", "b", "c"], compiled.PlaceholderNames);
        Assert.True(compiled.MatchesQuery);
    }

    [Fact]
    public void Hostile_paths_do_not_hang_matching()
    {
        var compiled = UpstreamPathTemplate.Create("/x/{a}-{b}-{c}-{d}-{e}_end/tail");
        var path = new PathString("/x/" + string.Concat(Enumerable.Repeat("a-", 3000)) + "/tail");

        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(compiled.IsMatch(path, QueryString.Empty));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }

    internal static string Format(PlaceholderValues values)
        => string.Join('|', values.AsSpan().ToArray().Select(p => $"{p.Name}={p.Value}"));
}
