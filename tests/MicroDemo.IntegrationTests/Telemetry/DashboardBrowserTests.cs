using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.Testing;
using OpenQA.Selenium.Chrome;

namespace MicroDemo.IntegrationTests.Telemetry;

/// <summary>
/// The gateway's dashboard in a real (headless) Chromium, driven by Selenium through Debian's chromium-driver
/// (scripts/install-chromium.sh): what a learner watching it would see change while the stack works.
/// </summary>
[Collection(TelemetryStackCollection.Name)]
public sealed class DashboardBrowserTests(TelemetryStack stack) : IDisposable
{
    /// <summary>Where the screenshot goes; docs/images/dashboard.png is refreshed with it.</summary>
    private const string ScreenshotVariable = "MICRODEMO_DASHBOARD_SCREENSHOT";

    private const string OrdersList = "tr[data-route='/api/orders'][data-methods='GET']";

    private readonly ChromeDriver _browser = StartBrowser();

    [Fact]
    public async Task The_dashboard_shows_traffic_new_instances_and_a_circuit_opening_and_closing_live()
    {
        _browser.Navigate().GoToUrl(new Uri(stack.Gateway.Url, "dashboard"));
        await UntilAsync(() => Exists("#connection[data-state='live']"), "the page receives live updates");

        // Traffic: the route's request counter grows.
        var before = Total();
        for (var i = 0; i < 5; i++)
        {
            await GetOrdersAsync(HttpStatusCode.OK);
        }

        await UntilAsync(() => Total() >= before + 5, $"the /api/orders counter grows from {before} by 5");

        // Discovery: an instance registered in Consul appears, with Consul's verdict on it.
        var extra = new ConsulServiceRegistration
        {
            ID = $"orders-dashboard-test-{Guid.NewGuid():N}",
            Name = "orders",
            Address = "127.0.0.1",
            Port = FreePorts.Next(),
            Check = new ConsulHttpCheck { HTTP = $"http://127.0.0.1:{FreePorts.Next()}/health/ready", Interval = "1s" },
        };
        await stack.Consul.Client.RegisterAsync(extra, CancellationToken.None);
        try
        {
            await UntilAsync(() => Exists($"[data-instance='{extra.ID}'][data-consul='critical']"), "the registered instance appears, failing its check");

            // QoS: orders fails every request, the route's circuit opens...
            await SetOrdersFaultsAsync(failureRate: 1);
            await Eventually.TrueAsync(async () => await GetOrdersStatusAsync() == HttpStatusCode.ServiceUnavailable, "the gateway opens the circuit of GET /api/orders");
            await UntilAsync(() => Exists("#circuits [data-circuit='/api/orders'][data-state='open']")
                && Exists($"{OrdersList} .circuit[data-state='open']"), "the dashboard shows the circuit open");
            SaveScreenshot();

            // ...and closes again once orders heals and the break is over.
            await SetOrdersFaultsAsync(failureRate: 0);
            await Eventually.TrueAsync(async () => await GetOrdersStatusAsync() == HttpStatusCode.OK, "the circuit lets requests through again", TimeSpan.FromSeconds(40));
            await UntilAsync(() => Exists($"{OrdersList} .circuit[data-state='closed']")
                && !Exists("#circuits [data-circuit]"), "the dashboard shows the circuit closed");
        }
        finally
        {
            await SetOrdersFaultsAsync(failureRate: 0);
            await stack.Consul.Client.DeregisterAsync(extra.ID, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _browser.Quit();
        _browser.Dispose();
    }

    private static ChromeDriver StartBrowser()
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(RepoPaths.ChromeDriver)!, Path.GetFileName(RepoPaths.ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = RepoPaths.Chromium };
        // --no-sandbox: the tests run as root here, where Chromium's sandbox cannot start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1340", "--force-device-scale-factor=1");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    // Asked in the page in one step: the page re-renders every second, so an element found first and read after
    // may already be replaced.
    private bool Exists(string css) => _browser.ExecuteScript("return document.querySelector(arguments[0]) !== null;", css) is true;

    private long Total() =>
        _browser.ExecuteScript("return document.querySelector(arguments[0])?.textContent ?? '';", $"{OrdersList} .total") is string text
        && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var total) ? total : 0;

    private Task UntilAsync(Func<bool> condition, string what) =>
        Eventually.TrueAsync(() => Task.FromResult(condition()), what, TimeSpan.FromSeconds(30));

    private async Task GetOrdersAsync(HttpStatusCode expected) => Assert.Equal(expected, await GetOrdersStatusAsync());

    private async Task<HttpStatusCode> GetOrdersStatusAsync()
    {
        using var request = stack.GatewayRequest(HttpMethod.Get, "api/orders");
        using var response = await stack.Http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task SetOrdersFaultsAsync(double failureRate)
    {
        using var response = await stack.Http.PutAsJsonAsync(new Uri(stack.Orders.Url, "faults"), new { failureRate });
        response.EnsureSuccessStatusCode();
    }

    private void SaveScreenshot()
    {
        var path = Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        _browser.GetScreenshot().SaveAsFile(path);
    }
}
