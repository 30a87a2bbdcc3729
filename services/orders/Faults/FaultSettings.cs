namespace MicroDemo.Orders.Faults;

/// <summary>The faults the orders endpoints currently suffer; all zero (off) by default.</summary>
/// <param name="LatencyMs">Every business request first waits this long.</param>
/// <param name="FailureRate">Then this share of them (0.0 to 1.0) fails with a 500 problem.</param>
public sealed record FaultSettings(int LatencyMs = 0, double FailureRate = 0)
{
    public const int MaxLatencyMs = 60_000;

    public static FaultSettings None { get; } = new();

    /// <summary>Errors by JSON field name, in the shape <c>TypedResults.ValidationProblem</c> takes; empty when valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (LatencyMs is < 0 or > MaxLatencyMs)
        {
            errors["latencyMs"] = [$"The latencyMs must be between 0 and {MaxLatencyMs}."];
        }

        if (double.IsNaN(FailureRate) || FailureRate is < 0 or > 1)
        {
            errors["failureRate"] = ["The failureRate must be between 0.0 and 1.0."];
        }

        return errors;
    }
}
