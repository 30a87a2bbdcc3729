using System.Net;
using MicroDemo.ServiceDefaults.Consul;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MicroDemo.Orders.UsersService;

/// <summary>
/// Asks the users service whether a user exists. Each attempt looks up the healthy instances in Consul
/// and picks one at random, so a retry can land on another instance; the resilience pipeline retries
/// connection errors, timeouts and 5xx with exponential backoff, but never a 404 (a definite answer).
/// </summary>
public sealed partial class UsersClient(
    HttpClient http,
    ConsulClient consul,
    [FromKeyedServices(UsersClient.PipelineKey)] ResiliencePipeline<HttpResponseMessage> pipeline,
    IOptions<UsersServiceOptions> options,
    ILogger<UsersClient> logger)
{
    public const string PipelineKey = "users";

    /// <param name="authorization">The caller's Authorization header, relayed so users can check the same token.</param>
    public async Task<UserCheck> CheckUserAsync(long userId, string? authorization, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await pipeline.ExecuteAsync(
                async token => await SendToAnyInstanceAsync($"/users/{userId}", authorization, token),
                cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return UserCheck.Exists;
                case HttpStatusCode.NotFound:
                    return UserCheck.NotFound;
                default:
                    Log.UnexpectedStatus(logger, options.Value.Name, (int)response.StatusCode);
                    return UserCheck.Unavailable;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or NoHealthyInstanceException
                                   && !cancellationToken.IsCancellationRequested)
        {
            Log.Unavailable(logger, options.Value.Name, e.Message);
            return UserCheck.Unavailable;
        }
    }

    private async Task<HttpResponseMessage> SendToAnyInstanceAsync(string path, string? authorization, CancellationToken cancellationToken)
    {
        // One look-up per attempt keeps the sample simple; the gateway shows the blocking-query watch instead.
        var instances = (await consul.GetHealthyInstancesAsync(options.Value.Name, 0, TimeSpan.Zero, cancellationToken)).Value;
        if (instances.Count == 0)
        {
            throw new NoHealthyInstanceException(options.Value.Name);
        }

        var instance = instances[Random.Shared.Next(instances.Count)];
        var scheme = instance.Meta.TryGetValue("scheme", out var registered) ? registered : "http";
        using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(scheme, instance.Address, instance.Port, path).Uri);
        if (!string.IsNullOrEmpty(authorization))
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await http.SendAsync(request, cancellationToken);
    }

    /// <summary>Retry (outer) around a per-attempt timeout (inner): a hung instance costs one attempt, not the request.</summary>
    public static ResiliencePipeline<HttpResponseMessage> CreatePipeline(UsersServiceOptions options) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => (int)response.StatusCode >= 500),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.RetryBaseDelay,
                UseJitter = true,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The {Service} service is unavailable: {Reason}")]
        public static partial void Unavailable(ILogger logger, string service, string reason);

        [LoggerMessage(2, LogLevel.Warning, "The {Service} service answered {StatusCode} to a user check")]
        public static partial void UnexpectedStatus(ILogger logger, string service, int statusCode);
    }
}

/// <summary>Consul lists no passing instance of the service.</summary>
public sealed class NoHealthyInstanceException(string service)
    : Exception($"Consul lists no healthy instance of '{service}'.");
