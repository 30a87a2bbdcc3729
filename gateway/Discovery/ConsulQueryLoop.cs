using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.Discovery;

/// <summary>
/// The loop behind every discovery watch: Consul blocking queries one after the other (or, for <c>PollConsul</c>,
/// one plain query per polling interval), retried with a doubling delay while they fail, and started over against
/// the new agent when a reload retires the connection. Discovery watches and the configuration stored in Consul KV share it.
/// </summary>
internal static class ConsulQueryLoop
{
    /// <param name="connection">The connection to query now; asked again after each query.</param>
    /// <param name="query">One query: the client, the index to block on (0: answer at once) and the cancellation.</param>
    /// <param name="publish">Receives each answer.</param>
    /// <param name="recordFailure">Receives each failure with the delay before the next attempt.</param>
    public static async Task RunAsync<T>(
        Func<ConsulConnection> connection,
        DiscoveryTimings timings,
        TimeProvider time,
        Func<ConsulClient, ulong, CancellationToken, Task<ConsulQueryResult<T>>> query,
        Action<T> publish,
        Action<ConsulConnection, Exception, TimeSpan> recordFailure,
        CancellationToken stopping)
    {
        ulong index = 0;
        var retryDelay = TimeSpan.Zero;
        while (!stopping.IsCancellationRequested)
        {
            var current = connection();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping, current.Retired);
            try
            {
                var polling = current.Options.IsPolling;
                var result = await query(current.Client, polling ? 0 : index, attempt.Token);
                index = NextIndex(index, result.Index);
                retryDelay = TimeSpan.Zero;
                publish(result.Value);
                if (polling)
                {
                    await Task.Delay(current.Options.EffectivePollingInterval, time, attempt.Token);
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception) when (current.Retired.IsCancellationRequested)
            {
                // The configuration now points elsewhere: indexes of the old agent mean nothing to the new one.
                index = 0;
            }
            catch (Exception e)
            {
                // A restarted agent starts its index low again; blocking on the old index would stall for the whole wait.
                index = 0;
                retryDelay = retryDelay == TimeSpan.Zero
                    ? timings.MinRetryDelay
                    : TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, timings.MaxRetryDelay.Ticks));
                recordFailure(current, e, retryDelay);
                await Task.Delay(retryDelay, time, attempt.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Consul's rules for blocking-query indexes (https://developer.hashicorp.com/consul/api-docs/features/blocking).</summary>
    internal static ulong NextIndex(ulong previous, ulong received) =>
        received < previous
            ? 0 // the index went backwards (agent restarted, state restored): start over with a non-blocking query
            : Math.Max(received, 1); // 0 would make every following query non-blocking, a hot loop
}
