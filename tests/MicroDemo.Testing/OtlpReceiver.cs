using System.Collections.Concurrent;
using System.Net;

namespace MicroDemo.Testing;

/// <summary>One span as an app exported it over OTLP.</summary>
/// <param name="Kind">OTLP's SpanKind: 1 internal, 2 server, 3 client.</param>
public sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind)
{
    public const int Internal = 1;
    public const int Server = 2;
    public const int Client = 3;
}

/// <summary>
/// An OTLP/HTTP collector for tests: apps export to it as they would to a real one (set
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> to <see cref="Endpoint"/>, protocol http/protobuf), and it keeps the spans.
/// Metrics and logs are accepted and dropped. The protobuf is read by hand: OpenTelemetry's proto classes are not
/// served here, and a span's few fields need little.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Port = FreePorts.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    /// <summary>The variables that make an app export here quickly (the batch exporters default to every 5 s).</summary>
    public IReadOnlyDictionary<string, string> ExporterSettings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "5000",
    };

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
            // Stopped while waiting for a request.
        }

        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                foreach (var span in ReadSpans(body.ToArray()))
                {
                    _spans.Enqueue(span);
                }
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6; ... }
    private static IEnumerable<ReceivedSpan> ReadSpans(byte[] request)
    {
        foreach (var resourceSpans in Protobuf.Fields(request).Where(f => f.Number == 1))
        {
            var fields = Protobuf.Fields(resourceSpans.Bytes).ToList();
            var service = fields.Where(f => f.Number == 1).Select(f => ServiceName(f.Bytes)).FirstOrDefault() ?? "";
            foreach (var scopeSpans in fields.Where(f => f.Number == 2))
            {
                foreach (var span in Protobuf.Fields(scopeSpans.Bytes).Where(f => f.Number == 2))
                {
                    var values = Protobuf.Fields(span.Bytes).ToList();
                    string Hex(int number) => values.Where(f => f.Number == number).Select(f => Convert.ToHexStringLower(f.Bytes)).FirstOrDefault() ?? "";
                    yield return new ReceivedSpan(
                        service,
                        Hex(1),
                        Hex(2),
                        Hex(4),
                        values.Where(f => f.Number == 5).Select(f => System.Text.Encoding.UTF8.GetString(f.Bytes)).FirstOrDefault() ?? "",
                        (int)(values.FirstOrDefault(f => f.Number == 6)?.Varint ?? 0));
                }
            }
        }
    }

    // Resource { repeated KeyValue attributes = 1; } KeyValue { string key = 1; AnyValue value = 2; } AnyValue { string string_value = 1; }
    private static string? ServiceName(byte[] resource)
    {
        foreach (var attribute in Protobuf.Fields(resource).Where(f => f.Number == 1))
        {
            var keyValue = Protobuf.Fields(attribute.Bytes).ToList();
            if (keyValue.FirstOrDefault(f => f.Number == 1) is { } key && System.Text.Encoding.UTF8.GetString(key.Bytes) == "service.name"
                && keyValue.FirstOrDefault(f => f.Number == 2) is { } value
                && Protobuf.Fields(value.Bytes).FirstOrDefault(f => f.Number == 1) is { } text)
            {
                return System.Text.Encoding.UTF8.GetString(text.Bytes);
            }
        }

        return null;
    }

    /// <summary>The protobuf wire format, just enough to walk messages: each field's number and its bytes or varint.</summary>
    private static class Protobuf
    {
        public sealed record Field(int Number, byte[] Bytes, ulong Varint);

        public static IEnumerable<Field> Fields(byte[] message)
        {
            var position = 0;
            while (position < message.Length)
            {
                var key = ReadVarint(message, ref position);
                var number = (int)(key >> 3);
                switch (key & 7)
                {
                    case 0:
                        yield return new Field(number, [], ReadVarint(message, ref position));
                        break;
                    case 1:
                        position += 8;
                        break;
                    case 2:
                        var length = (int)ReadVarint(message, ref position);
                        yield return new Field(number, message[position..(position + length)], 0);
                        position += length;
                        break;
                    case 5:
                        position += 4;
                        break;
                    default:
                        throw new InvalidDataException($"unsupported protobuf wire type {key & 7}");
                }
            }
        }

        private static ulong ReadVarint(byte[] message, ref int position)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = message[position++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }
    }
}
