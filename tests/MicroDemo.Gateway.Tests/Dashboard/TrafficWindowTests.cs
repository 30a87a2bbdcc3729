using MicroDemo.Gateway.Dashboard;

namespace MicroDemo.Gateway.Tests.Dashboard;

public sealed class TrafficWindowTests
{
    [Fact]
    public void The_last_minute_gives_rate_error_ratio_and_quantiles()
    {
        var window = new TrafficWindow();
        for (var i = 0; i < 98; i++)
        {
            window.Record(second: 1_000, milliseconds: 4, error: false);
        }

        window.Record(second: 1_010, milliseconds: 900, error: true);
        window.Record(second: 1_010, milliseconds: 900, error: true);

        var summary = TrafficWindow.Summarize([window], second: 1_030);

        Assert.Equal(100, summary.Total);
        Assert.Equal(Math.Round(100 / 60.0, 2), summary.PerSecond);
        Assert.Equal(0.02, summary.ErrorRatio);
        Assert.InRange(summary.P50Ms!.Value, 2, 5);
        Assert.InRange(summary.P99Ms!.Value, 500, 1_000);
    }

    [Fact]
    public void Requests_older_than_a_minute_leave_the_window_but_stay_in_the_total()
    {
        var window = new TrafficWindow();
        window.Record(second: 1_000, milliseconds: 3, error: true);
        window.Record(second: 1_060, milliseconds: 3, error: false);

        var summary = TrafficWindow.Summarize([window], second: 1_060);

        Assert.Equal(2, summary.Total);
        Assert.Equal(0, summary.ErrorRatio);
        Assert.Equal(Math.Round(1 / 60.0, 2), summary.PerSecond);
    }

    [Fact]
    public void No_request_has_no_quantile()
    {
        var summary = TrafficWindow.Summarize([new TrafficWindow()], second: 5);

        Assert.Equal((0L, 0.0, (double?)null, (double?)null), (summary.Total, summary.PerSecond, summary.P50Ms, summary.P99Ms));
    }
}
