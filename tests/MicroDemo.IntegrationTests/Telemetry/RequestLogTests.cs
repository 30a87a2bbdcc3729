using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MicroDemo.ServiceDefaults;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Telemetry;

/// <summary>A service's log as a log shipper reads it: JSON lines that carry the request's trace.</summary>
public sealed class RequestLogTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task With_the_json_format_each_request_is_one_json_line_with_its_trace_id()
    {
        var settings = ServiceSettings.For("users", new Uri("http://127.0.0.1:1/"), _data.File("users.db"));
        settings[SettingNames.ServiceRegisterInConsul] = "false";
        settings["Logging:Console:FormatterName"] = "json";
        await using var users = AppProcess.Start(MicroDemoApps.Users, settings);
        using var http = new HttpClient();
        await users.WaitUntilAsync(async () => (await http.GetAsync(new Uri(users.Url, "health/live"))).IsSuccessStatusCode, "users answers");
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(users.Url, "users/424242?secret=never-logged"));
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var line = await Eventually.MatchAsync(
            () => Task.FromResult(users.Output.Split('\n').FirstOrDefault(l => l.Contains("answered 404", StringComparison.Ordinal))),
            l => l is not null,
            "users logs the request");
        using var json = JsonDocument.Parse(line!);
        Assert.Matches($"^GET /users/424242 answered 404 in [0-9]+\\.[0-9] ms, trace {traceId}$", json.RootElement.GetProperty("Message").GetString());
        Assert.Contains(json.RootElement.GetProperty("Scopes").EnumerateArray(), scope => scope.TryGetProperty("TraceId", out var id) && id.GetString() == traceId);
        Assert.DoesNotContain("never-logged", users.Output);
        // Health checks are left out.
        Assert.DoesNotContain("/health/live answered", users.Output);
    }

    public void Dispose() => _data.Dispose();
}
