namespace MicroDemo.IntegrationTests.Walkthrough;

public sealed class ExpectedOutputTests
{
    [Theory]
    [InlineData("HTTP/1.1 200 OK", "HTTP/1.1 200 OK\r\nX-Cache: HIT\r\n")]
    [InlineData("X-Cache: HIT", "HTTP/1.1 200 OK\r\nX-Cache: HIT\r\n")]
    [InlineData("HTTP/1.1 200 OK\nX-Cache: HIT", "HTTP/1.1 200 OK\nAge: 3\nX-Cache: HIT")]
    [InlineData("Age: ...", "Age: 3")]
    [InlineData("{\"id\":...,\"name\":\"alice\"", "[{\"id\":1,\"name\":\"alice\",\"email\":\"a@x\"}]")]
    [InlineData("<A> <B> <A> <B>", "served by 5031 5032 5031 5032")]
    [InlineData("by <A>\nby <A>", "by 5031\nby 5031")]
    [InlineData("by <A>\nby <B>", "by 5031\nby 5032")]
    [InlineData("id <ID> at <TIME>", "id 42 at 2025-01-01T10:00:00Z")]
    [InlineData("<title>x</title>", "<title>x</title>")]
    [InlineData("<A> <B>", "5032 5032 5031")]
    public void Matches(string expected, string output) =>
        Assert.Null(ExpectedOutput.Mismatch(expected.Split('\n'), output));

    [Theory]
    [InlineData("HTTP/1.1 200 OK", "HTTP/1.1 401 Unauthorized", "'HTTP/1.1 200 OK', not found anywhere in the output")]
    [InlineData("X-Cache: HIT\nHTTP/1.1 200 OK", "HTTP/1.1 200 OK\nX-Cache: HIT", "expected line 2, 'HTTP/1.1 200 OK', not found after output line 2 ('X-Cache: HIT')")]
    [InlineData("<A> <B> <A> <B>", "5031 5031 5031 5031", "not found")]
    [InlineData("by <A>\nby <A>", "by 5031\nby 5032", "(with <A>=5031)")]
    [InlineData("by <A>\nby <B>", "by 5031\nby 5031", "(with <A>=5031)")]
    public void Does_not_match(string expected, string output, string reason)
    {
        var mismatch = ExpectedOutput.Mismatch(expected.Split('\n'), output);

        Assert.NotNull(mismatch);
        Assert.Contains(reason, mismatch);
    }
}
