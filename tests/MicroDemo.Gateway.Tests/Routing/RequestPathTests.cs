using MicroDemo.Gateway.Routing;

namespace MicroDemo.Gateway.Tests.Routing;

/// <summary>The path routes match and forward: the client's encoding, decoded by nobody but the downstream.</summary>
public sealed class RequestPathTests
{
    [Theory]
    [InlineData("/api/users/1", "/api/users/1")]
    [InlineData("/api/users/1?x=%2541", "/api/users/1")]
    // Escapes other than those of unreserved characters keep the client's spelling, case included.
    [InlineData("/pub/%252e%252e%252e/%252E.txt", "/pub/%252e%252e%252e/%252E.txt")]
    [InlineData("/echo/%2541", "/echo/%2541")]
    [InlineData("/echo/%25252541", "/echo/%25252541")]
    [InlineData("/a%2fb/a%2Fb/a%252fb", "/a%2fb/a%2Fb/a%252fb")]
    [InlineData("/a%5cb/a%255cb", "/a%5cb/a%255cb")]
    [InlineData("/caf%c3%a9/caf%C3%A9", "/caf%c3%a9/caf%C3%A9")]
    [InlineData("/x%c0%aey", "/x%c0%aey")]
    [InlineData("/a;v=1/b;%3b", "/a;v=1/b;%3b")]
    // Escaped unreserved characters mean the characters themselves (RFC 3986 §2.3).
    [InlineData("/api/%75sers/%41%7e%2D", "/api/users/A~-")]
    [InlineData("/file%2etxt", "/file.txt")]
    // What may not appear in a path is escaped; a '%' that starts no escape is one.
    [InlineData("/a b/x|y/{z}", "/a%20b/x%7Cy/%7Bz%7D")]
    [InlineData("/100%/x%ZZ", "/100%25/x%25ZZ")]
    [InlineData("/caf\u00e9", "/caf%C3%A9")]
    // Absolute form: only the path counts.
    [InlineData("http://gateway.example/abs/%2541?q=1", "/abs/%2541")]
    [InlineData("http://gateway.example?q=/x", "/")]
    public void Keeps_the_clients_encoding(string rawTarget, string escaped)
    {
        var path = RequestPath.FromRawTarget(rawTarget);

        Assert.Equal(escaped, path.Escaped);
        Assert.False(path.HasDotSegment);
    }

    [Theory]
    // Plain, at the start, the middle and the end.
    [InlineData("/..")]
    [InlineData("/pub/../etc/passwd")]
    [InlineData("/pub/./x")]
    [InlineData("/pub/x/.")]
    // Encoded once, twice and three times, in either case and mixed with plain dots.
    [InlineData("/pub/%2e%2e/etc/passwd")]
    [InlineData("/pub/%2E%2E/etc/passwd")]
    [InlineData("/pub/%2e./etc")]
    [InlineData("/pub/.%2E/etc")]
    [InlineData("/pub/%2e/etc")]
    [InlineData("/pub/%252e%252e/%252e%252e/etc/passwd")]
    [InlineData("/pub/%252E%252e/etc")]
    [InlineData("/pub/%25252e%25252e/etc")]
    [InlineData("/pub/%2525252e%2525252e/etc")]
    // Separated by an escaped '/' or '\', which some servers split on.
    [InlineData("/pub/..%2fetc")]
    [InlineData("/pub/..%2Fetc")]
    [InlineData("/pub/x%2f..%2fetc")]
    [InlineData("/pub/..%252fetc")]
    [InlineData("/pub/..%5cetc")]
    [InlineData("/pub/%2e%2e%5Cetc")]
    [InlineData("/pub/x%255c%252e%252e")]
    // Overlong UTF-8 forms of '.' and '/' that lenient decoders accept.
    [InlineData("/pub/%c0%ae%c0%ae/etc")]
    [InlineData("/pub/%C0%AE./etc")]
    [InlineData("/pub/%e0%80%ae%e0%80%ae/etc")]
    [InlineData("/pub/%f0%80%80%ae/etc")]
    [InlineData("/pub/..%c0%afetc")]
    [InlineData("/pub/%25c0%25ae%25c0%25ae/etc")]
    // Path parameters: Tomcat reads "..;x" as "..".
    [InlineData("/pub/..;/etc")]
    [InlineData("/pub/..;jsessionid=1/etc")]
    [InlineData("/pub/%2e%2e;x/etc")]
    [InlineData("/pub/.%3bx/etc")]
    [InlineData("http://gateway.example/pub/%2e%2e/etc")]
    public void Finds_dot_segments_however_they_are_encoded(string rawTarget)
    {
        Assert.True(RequestPath.FromRawTarget(rawTarget).HasDotSegment);
    }

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/files/a.b/...")]
    [InlineData("/files/%2e%2e%2e/a..b")]
    [InlineData("/files/..a/b..")]
    [InlineData("/files/%c0%afx/%c0%80")]
    [InlineData("/files/x;..")]
    [InlineData("/files/?x=/../..")]
    public void Dots_that_name_nothing_above_are_allowed(string rawTarget)
    {
        Assert.False(RequestPath.FromRawTarget(rawTarget).HasDotSegment);
    }
}
