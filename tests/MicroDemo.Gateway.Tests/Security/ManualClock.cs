namespace MicroDemo.Gateway.Tests.Security;

/// <summary>The real clock plus an offset the test moves forward.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
