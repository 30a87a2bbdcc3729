using System.Net;
using System.Text;
using Xunit.Abstractions;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>
/// A bounded fuzz run against the real gateway process (issue 19): a few thousand generated requests — paths of
/// random percent-encodings (once, twice, three times), dot-segments, unicode, long segments and parameters, with
/// random headers and bodies — none of which may get a 500 or a stack trace, and the process must still serve a
/// plain request afterwards. The seed is fixed, so a failure is reproducible; it is printed with every failure.
/// </summary>
public sealed class GatewayFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 19_2026;
    private const int RequestCount = 3_000;
    private const int Parallelism = 8;

    private static readonly string[] Methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    // Characters sent as they are; '.', '%' and the rest are produced by the generators below.
    private const string PlainChars = "abcxyzABCXYZ0189-_~!$&'()*+,;=:@";

    // Every downstream path lies under /fuzz on the echoing downstream, so no request reaches its special endpoints.
    private static object Configuration(int port) => OcelotJson(
    [
        Route("/pub/{everything}", "/fuzz/public/{everything}", port),
        Route("/item/{id}/detail/{rest}", "/fuzz/items/{id}/{rest}", port),
        Route("/search?q={q}", "/fuzz/find?query={q}", port),
        Route("/headers/{rest}", "/fuzz/headers/{rest}", port, new
        {
            UpstreamHeaderTransform = new Dictionary<string, string> { ["X-Fuzz-A"] = "a, b", ["X-Client"] = "{RemoteIpAddress}" },
            DownstreamHeaderTransform = new Dictionary<string, string> { ["X-Multi"] = "one, 1" },
        }),
        Route("/{everything}", "/fuzz/{everything}", port),
    ]);

    [Fact]
    public async Task Thousands_of_generated_requests_get_no_500_and_the_process_lives_on()
    {
        await using var stack = await GatewayProcessWithDownstream.StartAsync(Configuration, "/pub/ready");
        var random = new Random(Seed);
        var requests = Enumerable.Range(0, RequestCount).Select(index => Generate(random, index)).ToArray();
        var statuses = new int[requests.Length];
        var failures = new List<string>();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (request, cancellation) =>
        {
            var (status, body) = await SendAsync(stack, request, cancellation);
            statuses[request.Index] = status;
            if (status == 500 || body.Contains("   at ", StringComparison.Ordinal))
            {
                lock (failures)
                {
                    failures.Add($"seed {Seed}, request {request.Index}: {request.Method} {request.PathAndQuery} -> {status} {Shorten(body)}");
                }
            }
        });

        output.WriteLine($"seed {Seed}: " + string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Count()}× {g.Key}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.False(stack.Gateway.HasExited, $"seed {Seed}: the gateway exited\n{stack.Gateway.Output}");
        var echo = await ReadEchoAsync(await stack.SendAsync(HttpMethod.Get, "/pub/still/alive"));
        Assert.Equal("/fuzz/public/still/alive", echo.Path);
    }

    private static async Task<(int Status, string Body)> SendAsync(GatewayProcessWithDownstream stack, FuzzRequest request, CancellationToken cancellation)
    {
        using var content = request.Body is null ? null : new ByteArrayContent(request.Body);
        content?.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        HttpResponseMessage response;
        try
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), stack.UriFor(request.PathAndQuery)) { Content = content };
            foreach (var (name, value) in request.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            response = await stack.Client.SendAsync(message, cancellation);
        }
        catch (HttpRequestException error) when (error.InnerException is not null)
        {
            // The gateway (Kestrel) may close the connection on a request it finds malformed; that is an answer too.
            return (0, error.Message);
        }

        using (response)
        {
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellation));
        }
    }

    private static FuzzRequest Generate(Random random, int index)
    {
        var path = new StringBuilder();
        path.Append(random.Next(6) switch
        {
            0 => "/pub",
            1 => "/item/" + Segment(random) + "/detail",
            2 => "/search",
            3 => "/headers",
            _ => "",
        });
        for (var i = random.Next(0, 8); i >= 0; i--)
        {
            path.Append('/').Append(Segment(random));
        }

        if (random.Next(3) == 0)
        {
            path.Append("?q=").Append(Segment(random)).Append('&').Append(Segment(random)).Append('=').Append(Segment(random));
        }

        var method = Methods[random.Next(Methods.Length)];
        var headers = new List<(string, string)>();
        for (var i = random.Next(0, 6); i > 0; i--)
        {
            headers.Add(random.Next(4) switch
            {
                0 => ("X-Fuzz-A", HeaderValue(random)),
                1 => ("X-Forwarded-For", HeaderValue(random)),
                2 => (random.Next(2) == 0 ? "Authorization" : "Cookie", HeaderValue(random)),
                _ => ("X-Fuzz-" + random.Next(1000), HeaderValue(random)),
            });
        }

        byte[]? body = null;
        if (method is "POST" or "PUT" or "PATCH")
        {
            body = new byte[random.Next(3) == 0 ? random.Next(0, 64 * 1024) : random.Next(0, 256)];
            random.NextBytes(body);
        }

        return new FuzzRequest(index, method, path.ToString(), headers, body, random.Next(2) == 0 ? "application/json" : "application/octet-stream");
    }

    private static string Segment(Random random) => random.Next(20) switch
    {
        0 => random.Next(2) == 0 ? "." : "..",
        1 => Escape(random.Next(2) == 0 ? ".." : ".", random.Next(1, 4), random),
        2 => Escape(((char)random.Next(0x20, 0x7F)).ToString(), random.Next(1, 4), random),
        3 => string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"%{random.Next(0x80, 0x100):x2}")), // stray UTF-8 bytes
        4 => Uri.EscapeDataString(char.ConvertFromUtf32(random.Next(2) == 0 ? random.Next(0xA0, 0xD800) : random.Next(0x10000, 0x10FFFF))),
        5 => new string(PlainChars[random.Next(PlainChars.Length)], random.Next(200, 3000)), // long
        6 => Plain(random) + ";" + Plain(random) + "=" + Escape(";", 1, random),
        7 => random.Next(3) switch { 0 => "%", 1 => "%Z", _ => "%zz" }, // broken escapes
        8 => Escape(random.Next(2) == 0 ? "/" : "\\", random.Next(1, 4), random) + Plain(random),
        9 => random.Next(2) == 0 ? "%c0%ae" : "%e0%80%ae",
        10 => Plain(random) + new string('.', random.Next(1, 4)) + Plain(random),
        _ => Plain(random),
    };

    private static string Plain(Random random) =>
        new(Enumerable.Range(0, random.Next(1, 12)).Select(_ => PlainChars[random.Next(PlainChars.Length)]).ToArray());

    // Percent-encodes every character, then the result again (each '%' as "%25") until it is encoded `times` times.
    private static string Escape(string text, int times, Random random)
    {
        var escaped = string.Concat(text.Select(c => $"%{(int)c:X2}"));
        for (var i = 1; i < times; i++)
        {
            escaped = escaped.Replace("%", "%25", StringComparison.Ordinal);
        }

        return random.Next(2) == 0 ? escaped.ToLowerInvariant() : escaped;
    }

    // Visible ASCII and spaces: what HttpClient puts on the wire unchanged (it refuses CR, LF and NUL itself).
    private static string HeaderValue(Random random) =>
        new(Enumerable.Range(0, random.Next(0, random.Next(2) == 0 ? 40 : 4000)).Select(_ => (char)random.Next(0x20, 0x7F)).ToArray());

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "…";

    private sealed record FuzzRequest(int Index, string Method, string PathAndQuery, List<(string Name, string Value)> Headers, byte[]? Body, string ContentType);
}
