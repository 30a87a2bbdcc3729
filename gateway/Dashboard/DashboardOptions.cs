namespace MicroDemo.Gateway.Dashboard;

/// <summary>The live dashboard's settings, bound from <c>Gateway:Dashboard</c>.</summary>
public sealed record DashboardOptions
{
    public const string SectionName = "Gateway:Dashboard";

    public bool Enabled { get; init; } = true;

    /// <summary>Where the dashboard lives; like the admin API it shadows routes with the same prefix.</summary>
    public string Path { get; init; } = "/dashboard";

    /// <summary>
    /// False (default): answered to loopback clients only, without a token, and 404 to everyone else (a client
    /// behind a trusted edge is seen by its own address). True: anyone with a token carrying the admin API's scope
    /// (Gateway:Administration:Scope), passed to the page as <c>#token=...</c>.
    /// </summary>
    public bool RequireAdminScope { get; init; }

    /// <summary>How often the page is refreshed.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Pages receiving live updates at once; more are refused with 503 and fall back to polling.</summary>
    public int MaxLiveClients { get; init; } = 16;
}
