using MicroDemo.Gateway.Telemetry;

namespace MicroDemo.Gateway.Resilience;

/// <summary>The state of one route's circuit, as the health endpoint and logs report it.</summary>
public enum CircuitStatus
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>What a route's breaker says about itself; written by the breaker, read by diagnostics.</summary>
public sealed class CircuitMonitor(string routeName, TimeProvider time, GatewayMetrics? metrics = null)
{
    private long _openUntilTicks;

    public string RouteName { get; } = routeName;

    public CircuitStatus Status { get; private set; } = CircuitStatus.Closed;

    /// <summary>How long until an open circuit lets a probe through (zero when not open).</summary>
    public TimeSpan RetryAfter
    {
        get
        {
            var left = new DateTimeOffset(Interlocked.Read(ref _openUntilTicks), TimeSpan.Zero) - time.GetUtcNow();
            return Status == CircuitStatus.Open && left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    internal void Opened(TimeSpan breakDuration)
    {
        Interlocked.Exchange(ref _openUntilTicks, (time.GetUtcNow() + breakDuration).UtcTicks);
        Status = CircuitStatus.Open;
        metrics?.CircuitChanged(RouteName, Status);
    }

    internal void HalfOpened() => Change(CircuitStatus.HalfOpen);

    internal void Closed() => Change(CircuitStatus.Closed);

    private void Change(CircuitStatus status)
    {
        Status = status;
        metrics?.CircuitChanged(RouteName, status);
    }
}
