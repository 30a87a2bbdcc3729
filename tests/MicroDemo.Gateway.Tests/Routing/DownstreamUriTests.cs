using Microsoft.AspNetCore.Http;
using MicroDemo.Gateway.Routing;

namespace MicroDemo.Gateway.Tests.Routing;

public sealed class DownstreamUriTests
{
    [Theory]
    [InlineData("http", "localhost", 5001, "/api/1?x=2", "http://localhost:5001/api/1?x=2")]
    [InlineData("https", "users", 443, "/a", "https://users/a")]
    [InlineData("http", "::1", 8080, "/a", "http://[::1]:8080/a")]
    [InlineData("http", "[::1]", 8080, "/a", "http://[::1]:8080/a")]
    [InlineData("ws", "chat", 80, "/hub", "ws://chat/hub")]
    [InlineData("http", "h", 81, "", "http://h:81/")]
    [InlineData("http", "h", 81, "/a%2Fb", "http://h:81/a%2Fb")]
    // Sent as built: System.Uri would otherwise decode these escapes and remove the dot-segments that gives.
    [InlineData("http", "h", 81, "/p/%2e%2e/%2541/%41", "http://h:81/p/%2e%2e/%2541/%41")]
    public void Builds_the_absolute_uri(string scheme, string host, int port, string pathAndQuery, string expected)
    {
        var uri = DownstreamUri.Create(scheme, host, port, pathAndQuery);

        Assert.Equal(expected, uri.AbsoluteUri);
        Assert.Equal(new Uri(expected, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }).PathAndQuery, uri.PathAndQuery);
    }
}
