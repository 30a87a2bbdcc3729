using Microsoft.AspNetCore.Http;
using MicroDemo.Gateway.Routing;

namespace MicroDemo.Gateway.Tests.Routing;

public sealed class UpstreamHeaderTemplatesTests
{
    [Theory]
    [InlineData("v1", "v1", false, true)]
    [InlineData("v1", "V1", false, true)]
    [InlineData("v1", "V1", true, false)]
    [InlineData("v1", "v2", false, false)]
    [InlineData("v1", "v1-beta", false, false)]
    [InlineData("v1", null, false, false)]
    [InlineData("vnd.{header:version}+json", "vnd.v2+json", false, true)]
    [InlineData("vnd.{header:version}+json", "vndXv2json", false, false)]
    [InlineData("{header:any}", "", false, false)]
    [InlineData("{HEADER:any}", "x", false, true)]
    public void Matches_the_whole_header_value(string template, string? sent, bool caseSensitive, bool expected)
    {
        var templates = UpstreamHeaderTemplates.Create(new Dictionary<string, string> { ["X-API-Version"] = template }, caseSensitive);
        var headers = new HeaderDictionary();
        if (sent is not null)
        {
            headers["x-api-version"] = sent;
        }

        Assert.Equal(expected, templates.IsMatch(headers));
    }

    [Fact]
    public void Every_listed_header_must_be_present_and_match()
    {
        var templates = UpstreamHeaderTemplates.Create(new Dictionary<string, string>
        {
            ["country"] = "{header:countrycode}",
            ["X-Tenant"] = "acme",
        });

        Assert.True(templates.IsMatch(new HeaderDictionary { ["country"] = "uk", ["X-Tenant"] = "acme" }));
        Assert.False(templates.IsMatch(new HeaderDictionary { ["country"] = "uk" }));
        Assert.False(templates.IsMatch(new HeaderDictionary { ["country"] = "uk", ["X-Tenant"] = "other" }));
    }

    [Fact]
    public void A_header_sent_twice_is_matched_as_the_joined_value()
    {
        var templates = UpstreamHeaderTemplates.Create(new Dictionary<string, string> { ["X-Tenant"] = "acme" });

        Assert.False(templates.IsMatch(new HeaderDictionary { ["X-Tenant"] = new(["acme", "other"]) }));
    }

    [Fact]
    public void Captures_become_placeholders()
    {
        var templates = UpstreamHeaderTemplates.Create(new Dictionary<string, string>
        {
            ["country"] = "{header:countrycode}",
            ["Accept"] = "application/vnd.{header:vendor}.{header:version}+json",
        });
        var headers = new HeaderDictionary { ["country"] = "uk", ["Accept"] = "application/vnd.acme.v2+json" };

        Assert.True(templates.HasCaptures);
        Placeholder[] expected = [new("countrycode", "uk"), new("vendor", "acme"), new("version", "v2")];
        Assert.Equal(expected, templates.Capture(headers));
    }

    [Theory]
    [InlineData("{header:}")]
    [InlineData("{header:name")]
    public void Malformed_captures_are_rejected_at_load(string template)
    {
        Assert.Throws<FormatException>(() => UpstreamHeaderTemplates.Create(new Dictionary<string, string> { ["X"] = template }));
    }
}
