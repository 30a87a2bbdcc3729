using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MicroDemo.Gateway.Forwarding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Tests.Forwarding;

public sealed class HttpForwarderTests
{
    private static HttpClient CreateClient() => TestClients.Create();

    [Fact]
    public async Task Request_headers_drop_hop_by_hop_keep_end_to_end_and_take_host_from_destination()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(context =>
            context.Response.WriteAsJsonAsync(context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()))));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress);
        using var client = CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/api/headers"));
        request.Headers.TryAddWithoutValidation("X-Custom", "kept");
        request.Headers.TryAddWithoutValidation("X-Multi", ["one", "two"]);
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Connection", "keep-alive");
        request.Headers.TryAddWithoutValidation("Upgrade-Insecure-Requests", "1");
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic c2VjcmV0");
        using var response = await client.SendAsync(request);
        var received = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(received);
        Assert.Equal("kept", received["x-custom"]);
        Assert.Equal("one, two", received["x-multi"]);
        Assert.Equal($"127.0.0.1:{backend.BaseAddress.Port}", received["host"]);
        foreach (var dropped in new[] { "keep-alive", "proxy-connection", "upgrade-insecure-requests", "te", "proxy-authorization", "transfer-encoding" })
        {
            Assert.False(received.ContainsKey(dropped), $"'{dropped}' must not be forwarded");
        }
    }

    [Fact]
    public async Task Response_headers_keep_multiple_values_drop_hop_by_hop_and_appear_once()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(context =>
        {
            context.Response.Headers.Append("Set-Cookie", "a=1; Path=/");
            context.Response.Headers.Append("Set-Cookie", "b=2; Path=/");
            context.Response.Headers["X-Custom"] = "from-service";
            context.Response.Headers["Keep-Alive"] = "timeout=5";
            context.Response.Headers["Alt-Svc"] = "h3=\":443\"";
            context.Response.Headers["Server"] = "users-service";
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers.ContentLanguage = "en";
            return context.Response.WriteAsync("hello");
        }));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress);
        using var client = CreateClient();

        using var response = await client.GetAsync(new Uri(gateway.BaseAddress, "/api/x"));

        Assert.Equal(["a=1; Path=/", "b=2; Path=/"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal("from-service", Assert.Single(response.Headers.GetValues("X-Custom")));
        Assert.Equal("users-service", Assert.Single(response.Headers.GetValues("Server")));
        Assert.Single(response.Headers.GetValues("Date"));
        Assert.False(response.Headers.Contains("Keep-Alive"));
        Assert.False(response.Headers.Contains("Alt-Svc"));
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(["en"], response.Content.Headers.ContentLanguage);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_body_and_content_headers_reach_the_downstream_intact()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            await context.Response.WriteAsJsonAsync(new
            {
                method = context.Request.Method,
                length = buffer.Length,
                sha256 = Convert.ToHexString(SHA256.HashData(buffer.ToArray())),
                contentType = context.Request.ContentType,
                contentLanguage = context.Request.Headers.ContentLanguage.ToString(),
                contentLength = context.Request.ContentLength,
            });
        }));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress);
        using var client = CreateClient();
        var payload = RandomNumberGenerator.GetBytes(1024 * 1024 + 17);
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new("application/octet-stream");
        content.Headers.ContentLanguage.Add("de");

        using var response = await client.PutAsync(new Uri(gateway.BaseAddress, "/api/upload"), content);
        var echo = await response.Content.ReadFromJsonAsync<UploadEcho>();

        Assert.NotNull(echo);
        Assert.Equal("PUT", echo.Method);
        Assert.Equal(payload.Length, echo.Length);
        Assert.Equal(payload.Length, echo.ContentLength);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(payload)), echo.Sha256);
        Assert.Equal("application/octet-stream", echo.ContentType);
        Assert.Equal("de", echo.ContentLanguage);
    }

    [Fact]
    public async Task Response_body_reaches_the_client_intact_with_query_string()
    {
        var payload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 5);
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(context =>
        {
            context.Response.Headers["X-Query"] = context.Request.QueryString.Value;
            context.Response.ContentLength = payload.Length;
            return context.Response.Body.WriteAsync(payload).AsTask();
        }));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress);
        using var client = CreateClient();

        using var response = await client.GetAsync(new Uri(gateway.BaseAddress, "/api/download?name=a%20b&x=1"));

        Assert.Equal("?name=a%20b&x=1", Assert.Single(response.Headers.GetValues("X-Query")));
        Assert.Equal(payload.Length, response.Content.Headers.ContentLength);
        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(404, "no such user")]
    [InlineData(500, "service exploded")]
    [InlineData(201, "created")]
    [InlineData(302, "")]
    [InlineData(503, "{\"title\":\"down for maintenance\"}")]
    public async Task Downstream_status_and_body_pass_through_untouched(int status, string body)
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(context =>
        {
            context.Response.StatusCode = status;
            if (status == 302)
            {
                context.Response.Headers.Location = "/elsewhere";
            }

            return context.Response.WriteAsync(body);
        }));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress);
        using var client = CreateClient();

        using var response = await client.GetAsync(new Uri(gateway.BaseAddress, "/api/status"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        if (status == 302)
        {
            Assert.Equal("/elsewhere", response.Headers.Location?.ToString());
        }
    }

    [Fact]
    public async Task Custom_reason_phrase_reaches_http11_clients()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(context =>
        {
            context.Response.StatusCode = 299;
            context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = "Mostly Fine";
            return Task.CompletedTask;
        }));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress);
        using var client = CreateClient();

        using var response = await client.GetAsync(new Uri(gateway.BaseAddress, "/api/reason"));

        Assert.Equal(299, (int)response.StatusCode);
        Assert.Equal("Mostly Fine", response.ReasonPhrase);
    }

    [Fact]
    public async Task Method_override_changes_the_downstream_method_and_keeps_the_body()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            await context.Response.WriteAsync($"{context.Request.Method}:{await reader.ReadToEndAsync()}");
        }));
        var options = new DownstreamRequestOptions { RouteName = TestGateway.RouteName, MethodOverride = HttpMethod.Post };
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress, options);
        using var client = CreateClient();

        using var response = await client.PutAsync(new Uri(gateway.BaseAddress, "/api/override"), new StringContent("payload"));

        Assert.Equal("POST:payload", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Http2_downstream_with_trailers_reaches_an_http2_client()
    {
        await using var backend = await LoopbackServer.StartAsync(
            app => app.Run(async context =>
            {
                context.Response.DeclareTrailer("grpc-status");
                await context.Response.WriteAsync($"protocol={context.Request.Protocol}");
                context.Response.AppendTrailer("grpc-status", "0");
                context.Response.AppendTrailer("grpc-message", "all good");
            }),
            protocols: HttpProtocols.Http2);
        // Cleartext HTTP/2 (h2c) has no ALPN to negotiate with, so the route must ask for exactly 2.0.
        var options = new DownstreamRequestOptions
        {
            RouteName = TestGateway.RouteName,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress, options, protocols: HttpProtocols.Http2);
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/api/grpc-like"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("protocol=HTTP/2", body);
        Assert.Equal("0", Assert.Single(response.TrailingHeaders.GetValues("grpc-status")));
        Assert.Equal("all good", Assert.Single(response.TrailingHeaders.GetValues("grpc-message")));
    }

    [Fact]
    public async Task Response_headers_can_be_edited_and_status_read_between_send_and_copy()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(context =>
        {
            context.Response.Headers["X-Internal"] = "secret";
            context.Response.StatusCode = 500;
            return context.Response.WriteAsync("broken");
        }));
        var observedStatus = 0;
        await using var server = await LoopbackServer.StartAsync(
            app =>
            {
                var forwarder = app.Services.GetRequiredService<HttpForwarder>();
                var invoker = app.Services.GetRequiredService<DownstreamClientFactory>().GetInvoker(DownstreamClientSettings.Default);
                var options = new DownstreamRequestOptions { RouteName = "/edit" };
                app.Run(async context =>
                {
                    using var request = forwarder.CreateRequest(context, new Uri(backend.BaseAddress, "/x"), options);
                    using var response = await forwarder.SendAsync(context, request, invoker, options);
                    observedStatus = (int)response.StatusCode;
                    response.Message.Headers.Remove("X-Internal");
                    response.Message.Headers.TryAddWithoutValidation("X-Added", "by-transform");
                    await forwarder.CopyResponseAsync(context, response);
                });
            },
            builder => builder.Services.AddHttpForwarding());
        using var client = CreateClient();

        using var result = await client.GetAsync(new Uri(server.BaseAddress, "/edit"));

        Assert.Equal(500, observedStatus);
        Assert.Equal(HttpStatusCode.InternalServerError, result.StatusCode);
        Assert.False(result.Headers.Contains("X-Internal"));
        Assert.Equal("by-transform", Assert.Single(result.Headers.GetValues("X-Added")));
        Assert.Equal("broken", await result.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Captured_body_is_the_body_the_client_received()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{\"id\":42}");
        }));
        byte[]? captured = null;
        await using var server = await LoopbackServer.StartAsync(
            app =>
            {
                var forwarder = app.Services.GetRequiredService<HttpForwarder>();
                var invoker = app.Services.GetRequiredService<DownstreamClientFactory>().GetInvoker(DownstreamClientSettings.Default);
                var options = new DownstreamRequestOptions { RouteName = "/cached" };
                app.Run(async context =>
                {
                    using var request = forwarder.CreateRequest(context, new Uri(backend.BaseAddress, "/x"), options);
                    using var response = await forwarder.SendAsync(context, request, invoker, options);
                    var capture = new ResponseBodyCapture(maxBytes: 1024);
                    await forwarder.CopyResponseAsync(context, response, capture);
                    captured = capture.IsComplete ? capture.Body.ToArray() : null;
                });
            },
            builder => builder.Services.AddHttpForwarding());
        using var client = CreateClient();

        using var response = await client.GetAsync(new Uri(server.BaseAddress, "/cached"));

        Assert.Equal("{\"id\":42}", await response.Content.ReadAsStringAsync());
        Assert.Equal("{\"id\":42}", System.Text.Encoding.UTF8.GetString(captured!));
    }

    [Fact]
    public async Task Capture_over_the_limit_is_abandoned()
    {
        var capture = new ResponseBodyCapture(maxBytes: 4);
        await capture.AppendAsync(new byte[] { 1, 2, 3 });
        await capture.AppendAsync(new byte[] { 4, 5 });

        Assert.False(capture.IsComplete);
        Assert.True(capture.Body.IsEmpty);
    }

    [Fact]
    public async Task Capture_of_a_declared_length_hands_the_body_over_with_its_last_piece_once()
    {
        var handedOver = new List<byte[]>();
        var capture = new ResponseBodyCapture(maxBytes: 16, declaredLength: 5, body =>
        {
            handedOver.Add(body.ToArray());
            return ValueTask.CompletedTask;
        });

        await capture.AppendAsync(new byte[] { 1, 2, 3 });
        Assert.Empty(handedOver);
        await capture.AppendAsync(new byte[] { 4, 5 });
        await capture.CompleteAsync();

        Assert.Equal([1, 2, 3, 4, 5], Assert.Single(handedOver));
    }

    private sealed record UploadEcho(string Method, long Length, string Sha256, string? ContentType, string ContentLanguage, long? ContentLength);
}
