namespace MicroDemo.Orders.Faults;

/// <summary>The current <see cref="FaultSettings"/>, swapped atomically by <c>PUT /faults</c>.</summary>
public sealed class FaultInjection
{
    private volatile FaultSettings _current = FaultSettings.None;

    public FaultSettings Current => _current;

    public void Set(FaultSettings settings) => _current = settings;

    public void Reset() => _current = FaultSettings.None;
}
