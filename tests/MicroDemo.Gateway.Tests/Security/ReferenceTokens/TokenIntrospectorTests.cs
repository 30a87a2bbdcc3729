using System.Net;
using System.Text;
using MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;
using Microsoft.Extensions.Logging.Abstractions;

namespace MicroDemo.Gateway.Tests.Security.ReferenceTokens;

/// <summary>The introspection client against a stand-in endpoint: what it caches, how often it calls, and what it makes of the answers.</summary>
public sealed class TokenIntrospectorTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/connect/introspect");

    [Fact]
    public async Task Flood_of_random_handles_neither_grows_the_cache_past_its_limit_nor_exceeds_the_concurrent_call_limit()
    {
        var endpoint = new StandInEndpoint(_ => Inactive, delay: TimeSpan.FromMilliseconds(2));
        using var introspector = Create(endpoint, new IntrospectionOptions { ClientSecret = "s", CacheSizeLimit = 100, MaxConcurrentRequests = 3, Timeout = TimeSpan.FromMinutes(1) });

        var results = await Task.WhenAll(Enumerable.Range(0, 1_000).Select(_ => introspector.IntrospectAsync(Guid.NewGuid().ToString("N"), CancellationToken.None)));

        Assert.All(results, result => Assert.Equal(IntrospectionStatus.Inactive, result.Status));
        Assert.Equal(1_000, endpoint.Calls);
        Assert.InRange(endpoint.MaxConcurrentCalls, 1, 3);
        Assert.InRange(introspector.CachedAnswers, 1, 100);
    }

    [Fact]
    public async Task Repeated_unknown_handle_is_asked_about_once_while_its_inactive_answer_is_cached()
    {
        var endpoint = new StandInEndpoint(_ => Inactive);
        using var introspector = Create(endpoint, new IntrospectionOptions { ClientSecret = "s" });

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => introspector.IntrospectAsync("made-up-handle", CancellationToken.None)));
        var again = await introspector.IntrospectAsync("made-up-handle", CancellationToken.None);

        Assert.Equal(IntrospectionStatus.Inactive, again.Status);
        Assert.Equal(1, endpoint.Calls);
    }

    [Fact]
    public async Task Active_answer_carries_the_claims_and_is_reused()
    {
        var endpoint = new StandInEndpoint(_ => Active("microdemo"));
        using var introspector = Create(endpoint, new IntrospectionOptions { ClientSecret = "s" });

        var first = await introspector.IntrospectAsync("handle", CancellationToken.None);
        var second = await introspector.IntrospectAsync("handle", CancellationToken.None);

        Assert.Equal(IntrospectionStatus.Active, first.Status);
        Assert.Same(first, second);
        Assert.Equal(1, endpoint.Calls);
        Assert.Equal("reference-client", first.Claims.Single(claim => claim.Type == "sub").Value);
        Assert.Equal(["admin", "user"], first.Claims.Where(claim => claim.Type == "role").Select(claim => claim.Value));
        Assert.DoesNotContain(first.Claims, claim => claim.Type == "active");
        Assert.StartsWith("Basic ", endpoint.LastAuthorization);
        Assert.Contains("token=handle", endpoint.LastBody);
    }

    [Fact]
    public async Task Active_token_for_another_audience_is_inactive()
    {
        using var introspector = Create(new StandInEndpoint(_ => Active("another-api")), new IntrospectionOptions { ClientSecret = "s" });

        Assert.Equal(IntrospectionStatus.Inactive, (await introspector.IntrospectAsync("handle", CancellationToken.None)).Status);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Refusal_or_fault_of_the_endpoint_is_unavailable_and_not_cached(HttpStatusCode status)
    {
        var failing = true;
        var endpoint = new StandInEndpoint(_ => failing ? new HttpResponseMessage(status) : Active("microdemo"));
        using var introspector = Create(endpoint, new IntrospectionOptions { ClientSecret = "s" });

        var during = await introspector.IntrospectAsync("handle", CancellationToken.None);
        failing = false;
        var after = await introspector.IntrospectAsync("handle", CancellationToken.None);

        Assert.Equal(IntrospectionStatus.Unavailable, during.Status);
        Assert.Equal(IntrospectionStatus.Active, after.Status);
    }

    [Fact]
    public async Task Unreachable_endpoint_is_unavailable()
    {
        using var introspector = Create(new StandInEndpoint(_ => throw new HttpRequestException("connection refused")), new IntrospectionOptions { ClientSecret = "s" });

        Assert.Equal(IntrospectionStatus.Unavailable, (await introspector.IntrospectAsync("handle", CancellationToken.None)).Status);
    }

    private static TokenIntrospector Create(StandInEndpoint endpoint, IntrospectionOptions options) =>
        new(Endpoint, "microdemo", options, TimeProvider.System, NullLogger.Instance, endpoint);

    private static HttpResponseMessage Inactive => Json("""{"active":false}""");

    private static HttpResponseMessage Active(string audience) =>
        Json($$"""{"active":true,"sub":"reference-client","client_id":"reference-client","scope":"orders.read","aud":"{{audience}}","role":["admin","user"],"token_usage":"access_token","exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""");

    private static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>Answers introspection calls with <paramref name="answer"/>, counting calls and the most in flight at once.</summary>
    private sealed class StandInEndpoint(Func<HttpRequestMessage, HttpResponseMessage> answer, TimeSpan delay = default) : HttpMessageHandler
    {
        private int _inFlight;
        private int _calls;
        private int _maxConcurrentCalls;

        public int Calls => _calls;

        public int MaxConcurrentCalls => _maxConcurrentCalls;

        public string? LastAuthorization { get; private set; }

        public string? LastBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var inFlight = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxConcurrentCalls, inFlight);
            try
            {
                LastAuthorization = request.Headers.Authorization?.ToString();
                LastBody = await request.Content!.ReadAsStringAsync(cancellationToken);
                if (delay > TimeSpan.Zero)
                {
                    // Keeps calls overlapping, so the concurrency limit is what bounds them.
                    await Task.Delay(delay, cancellationToken);
                }

                return answer(request);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }
}
