using MicroDemo.Gateway.Configuration;

namespace MicroDemo.Gateway.Tests.RateLimiting;

internal static class RateLimitRules
{
    /// <summary>An enabled rule of <paramref name="limit"/> requests per <paramref name="periodSeconds"/>, banned for <paramref name="waitSeconds"/> once exceeded.</summary>
    public static RateLimitSettings Rule(int limit = 3, double periodSeconds = 10, double waitSeconds = 0) =>
        RateLimitSettings.Disabled with
        {
            Enabled = true,
            Limit = limit,
            Period = TimeSpan.FromSeconds(periodSeconds),
            PeriodText = $"{periodSeconds}s",
            Wait = TimeSpan.FromSeconds(waitSeconds),
            WaitText = $"{waitSeconds}s",
        };
}
