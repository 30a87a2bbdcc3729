using MicroDemo.ServiceDefaults;
using MicroDemo.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Identity.Tests;

/// <summary>
/// The token service in process, with the demo configuration of appsettings.json, its key file in a temporary
/// folder (deleted on dispose) unless <see cref="KeyFolder"/> is given, and every log line captured.
/// </summary>
public sealed class IdentityFactory : WebApplicationFactory<Program>
{
    // OpenIddict writes the issuer as an absolute URI, with the trailing slash of an empty path.
    public const string Issuer = "http://127.0.0.1:5010/";
    public const string Audience = "microdemo";

    private readonly string _temporaryFolder = NewTemporaryFolder();

    /// <summary>Set it to share a key file between factories; the factory's own temporary folder otherwise.</summary>
    public string KeyFolder
    {
        get => field ?? _temporaryFolder;
        init;
    }

    public string KeyPath => Path.Combine(KeyFolder, "keys", "signing-keys.json");

    /// <summary>Configuration on top of services/identity/appsettings.json.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Replaces the system clock of the token service.</summary>
    public TimeProvider? Time { get; init; }

    public LogCapture Logs { get; } = new();

    public static string NewTemporaryFolder() =>
        Directory.CreateTempSubdirectory("microdemo-identity-tests-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(SettingNames.IdentityKeyPath, KeyPath);
        // In-process tests do not register in Consul; registration is covered by the integration tests.
        builder.UseSetting("Service:RegisterInConsul", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        if (Time is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(Time));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_temporaryFolder))
        {
            Directory.Delete(_temporaryFolder, recursive: true);
        }
    }
}

/// <summary>The system clock moved by a fixed offset, to issue tokens that are already expired.</summary>
public sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
