using System.Globalization;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Launcher;

/// <summary>
/// The ./demo environment of a stack of its own: every port chosen free, a run folder of its own, and the apps
/// this test build built (no rebuild), so a test never meets the user's stack (8500, 50xx, .run/).
/// </summary>
internal static class IsolatedStack
{
    public static Dictionary<string, string> Environment(string runDirectory) => new()
    {
        ["MICRODEMO_RUN_DIR"] = runDirectory,
        ["MICRODEMO_CONFIGURATION"] = RepoPaths.Configuration,
        ["MICRODEMO_NO_BUILD"] = "1",
        ["MICRODEMO_UP_TIMEOUT"] = "180",
        ["MICRODEMO_CONSUL_PORT"] = Port(),
        ["MICRODEMO_IDENTITY_PORT"] = Port(),
        ["MICRODEMO_USERS_PORT"] = Port(),
        ["MICRODEMO_ORDERS_PORTS"] = $"{Port()},{Port()}",
        ["MICRODEMO_GATEWAY_PORT"] = Port(),
        ["MICRODEMO_GATEWAY_HTTPS_PORT"] = Port(),
    };

    public static string Port() => FreePorts.Next().ToString(CultureInfo.InvariantCulture);
}
