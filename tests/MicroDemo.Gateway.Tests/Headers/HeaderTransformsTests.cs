using Microsoft.AspNetCore.Http;
using System.Diagnostics;
using System.Net;
using MicroDemo.Gateway.Headers;
using Microsoft.Extensions.Primitives;

namespace MicroDemo.Gateway.Tests.Headers;

public sealed class HeaderTransformsTests
{
    private const string BaseUrl = "http://localhost:5000";

    [Theory]
    [InlineData("Test", "Hello, Bye", "Hello World Hello", "Bye World Bye")]
    [InlineData("Who", "Raman, Mark", "Raman Mark Raman", "Mark Mark Mark")]
    [InlineData("Location", "http://internal:5001, {BaseUrl}", "http://internal:5001/orders/1", "http://localhost:5000/orders/1")]
    [InlineData("Test", "Hello,Bye,Extra", "Hello", "Bye")]
    [InlineData("Test", "Hello, Bye", "Nothing to find", "Nothing to find")]
    public void Find_and_replace_rewrites_the_value(string header, string expression, string sent, string expected)
    {
        foreach (var direction in new[] { HeaderTransformDirection.Request, HeaderTransformDirection.Response })
        {
            var transforms = Create(direction, (header, expression));
            var headers = new HeaderDictionary { [header] = sent };

            transforms.Apply(headers, new DefaultHttpContext());

            Assert.Equal(expected, headers[header].ToString());
        }
    }

    [Fact]
    public void Find_and_replace_rewrites_every_value_of_a_header_sent_twice_and_leaves_absent_headers_alone()
    {
        var transforms = Create(HeaderTransformDirection.Request, ("Test", "GP, D"));
        var headers = new HeaderDictionary { ["Test"] = new StringValues(["GP one", "other", "GP two"]) };

        transforms.Apply(headers, new DefaultHttpContext());

        Assert.Equal(new StringValues(["D one", "other", "D two"]), headers["Test"]);
        var empty = new HeaderDictionary();
        transforms.Apply(empty, new DefaultHttpContext());
        Assert.False(empty.ContainsKey("Test"));
    }

    [Theory]
    [InlineData("http://ds:8080/api", "http://ds:8080/orders/1", "http://localhost:5000/orders/1")]
    [InlineData("http://ds:80/api", "http://ds/orders/1", "http://localhost:5000/orders/1")]
    [InlineData("https://ds:443/api", "https://ds/orders/1", "http://localhost:5000/orders/1")]
    [InlineData("http://ds:8080/api", "http://other:8080/orders/1", "http://other:8080/orders/1")]
    public void DownstreamBaseUrl_in_a_response_find_part_is_the_actual_downstream(string downstream, string location, string expected)
    {
        var transforms = Create(HeaderTransformDirection.Response, ("Location", "{DownstreamBaseUrl}, {BaseUrl}"));
        var headers = new HeaderDictionary { ["Location"] = location };

        transforms.Apply(headers, new DefaultHttpContext(), new Uri(downstream));

        Assert.Equal(expected, headers["Location"].ToString());
    }

    [Theory]
    [InlineData("Hello, {RemoteIpAddress}")]
    [InlineData(", Bye")]
    public void Find_and_replace_entries_that_can_never_apply_are_dropped_at_load(string expression)
    {
        var transforms = Create(HeaderTransformDirection.Request, ("Test", expression));
        var headers = new HeaderDictionary { ["Test"] = "Hello" };

        transforms.Apply(headers, new DefaultHttpContext());

        Assert.True(transforms.IsEmpty);
        Assert.Equal("Hello", headers["Test"].ToString());
    }

    [Theory]
    [InlineData("X-Literal", "some value", "some value")]
    [InlineData("X-Base", "{BaseUrl}", BaseUrl)]
    [InlineData("X-Forwarded-For", "{RemoteIpAddress}", "10.1.2.3")]
    [InlineData("X-Host", "{UpstreamHost}", "gateway.example.com:8443")]
    [InlineData("X-Scheme", "{UpstreamScheme}", "https")]
    public void Add_sets_the_value_resolving_a_single_placeholder(string header, string expression, string expected)
    {
        foreach (var direction in new[] { HeaderTransformDirection.Request, HeaderTransformDirection.Response })
        {
            var transforms = Create(direction, (header, expression));
            var headers = new HeaderDictionary { [header] = "old" };

            transforms.Apply(headers, Context());

            Assert.Equal(expected, headers[header].ToString());
        }
    }

    [Fact]
    public void TraceId_comes_from_the_current_activity()
    {
        var transforms = Create(HeaderTransformDirection.Response, ("X-Trace", "{TraceId}"));
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var headers = new HeaderDictionary();

        transforms.Apply(headers, Context());

        Assert.Equal(activity.TraceId.ToHexString(), headers["X-Trace"].ToString());
    }

    [Fact]
    public void Unresolved_placeholders_skip_the_header()
    {
        Assert.Null(Activity.Current);
        var request = Create(HeaderTransformDirection.Request, ("X-Trace", "{TraceId}"), ("X-Ip", "{RemoteIpAddress}"), ("X-Unknown", "{Nope}"));
        var headers = new HeaderDictionary { ["X-Trace"] = "client", ["X-Keep"] = "yes" };

        request.Apply(headers, new DefaultHttpContext());

        // As in Ocelot, the request header is removed even though no new value could be set.
        Assert.False(headers.ContainsKey("X-Trace"));
        Assert.False(headers.ContainsKey("X-Ip"));
        Assert.False(headers.ContainsKey("X-Unknown"));
        Assert.Equal("yes", headers["X-Keep"].ToString());

        var response = Create(HeaderTransformDirection.Response, ("X-Trace", "{TraceId}"));
        var responseHeaders = new HeaderDictionary { ["X-Trace"] = "from-downstream" };
        response.Apply(responseHeaders, new DefaultHttpContext());
        Assert.Equal("from-downstream", responseHeaders["X-Trace"].ToString());
    }

    [Fact]
    public void A_placeholder_inside_other_text_is_literal()
    {
        var transforms = Create(HeaderTransformDirection.Request, ("X-Note", "ip {RemoteIpAddress}"));
        var headers = new HeaderDictionary();

        transforms.Apply(headers, Context());

        Assert.Equal("ip {RemoteIpAddress}", headers["X-Note"].ToString());
    }

    [Fact]
    public void Route_entries_override_global_ones_by_header_name()
    {
        var merged = HeaderTransforms.Merge(
            new Dictionary<string, string> { ["X-A"] = "route" },
            new Dictionary<string, string> { ["X-A"] = "global", ["X-B"] = "global" });

        Assert.Equal("route", merged["X-A"]);
        Assert.Equal("global", merged["X-B"]);
        Assert.Equal(2, merged.Count);
    }

    private static HeaderTransforms Create(HeaderTransformDirection direction, params (string Header, string Expression)[] entries)
        => HeaderTransforms.Create(entries.ToDictionary(e => e.Header, e => e.Expression), direction, BaseUrl);

    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        context.Request.Scheme = "https";
        context.Request.Headers.Host = "gateway.example.com:8443";
        return context;
    }
}
