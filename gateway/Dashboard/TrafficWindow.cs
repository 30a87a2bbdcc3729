namespace MicroDemo.Gateway.Dashboard;

/// <summary>
/// One route's requests over the last minute, in one-second slots: count, server errors and a latency histogram,
/// from which the dashboard reads rate, error rate, p50 and p99. Plus the total since the gateway started.
/// </summary>
internal sealed class TrafficWindow
{
    public const int Seconds = 60;

    // Bucket upper bounds in milliseconds; a quantile is interpolated inside its bucket.
    private static readonly double[] BoundsMs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, double.PositiveInfinity];

    private readonly Lock _gate = new();
    private readonly long[] _slotSecond = new long[Seconds];
    private readonly long[] _count = new long[Seconds];
    private readonly long[] _errors = new long[Seconds];
    private readonly long[][] _buckets = Enumerable.Range(0, Seconds).Select(_ => new long[BoundsMs.Length]).ToArray();
    private long _total;

    public void Record(long second, double milliseconds, bool error)
    {
        var bucket = 0;
        while (milliseconds > BoundsMs[bucket])
        {
            bucket++;
        }

        var slot = (int)(second % Seconds);
        lock (_gate)
        {
            if (_slotSecond[slot] != second)
            {
                _slotSecond[slot] = second;
                _count[slot] = 0;
                _errors[slot] = 0;
                Array.Clear(_buckets[slot]);
            }

            _count[slot]++;
            _errors[slot] += error ? 1 : 0;
            _buckets[slot][bucket]++;
            _total++;
        }
    }

    /// <summary>The traffic of <paramref name="windows"/> together (a route's, one window per method), as of <paramref name="second"/>.</summary>
    public static TrafficSummary Summarize(IEnumerable<TrafficWindow> windows, long second)
    {
        long count = 0, errors = 0, total = 0;
        var buckets = new long[BoundsMs.Length];
        foreach (var window in windows)
        {
            lock (window._gate)
            {
                total += window._total;
                for (var slot = 0; slot < Seconds; slot++)
                {
                    if (window._slotSecond[slot] > second - Seconds && window._slotSecond[slot] <= second)
                    {
                        count += window._count[slot];
                        errors += window._errors[slot];
                        for (var b = 0; b < buckets.Length; b++)
                        {
                            buckets[b] += window._buckets[slot][b];
                        }
                    }
                }
            }
        }

        return new TrafficSummary(
            total,
            Math.Round(count / (double)Seconds, 2),
            count == 0 ? 0 : Math.Round(errors / (double)count, 4),
            Quantile(buckets, count, 0.50),
            Quantile(buckets, count, 0.99));
    }

    private static double? Quantile(long[] buckets, long count, double quantile)
    {
        if (count == 0)
        {
            return null;
        }

        var rank = quantile * count;
        double seen = 0;
        for (var b = 0; b < buckets.Length; b++)
        {
            if (buckets[b] > 0 && seen + buckets[b] >= rank)
            {
                var lower = b == 0 ? 0 : BoundsMs[b - 1];
                var upper = BoundsMs[b];
                return double.IsPositiveInfinity(upper) ? lower : Math.Round(lower + ((upper - lower) * (rank - seen) / buckets[b]), 1);
            }

            seen += buckets[b];
        }

        return BoundsMs[^2];
    }
}

/// <summary>A route's traffic: requests since start, and over the last minute requests per second, error ratio, p50 and p99 (ms).</summary>
public sealed record TrafficSummary(long Total, double PerSecond, double ErrorRatio, double? P50Ms, double? P99Ms);
