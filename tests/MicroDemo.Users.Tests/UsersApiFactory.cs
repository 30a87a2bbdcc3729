using MicroDemo.ServiceDefaults;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace MicroDemo.Users.Tests;

/// <summary>The users service in memory, on its own temp database (or a shared one), without Consul.</summary>
public sealed class UsersApiFactory : WebApplicationFactory<Program>
{
    public const string ServedBy = "users-127.0.0.1-5000";

    private readonly DirectoryInfo? _ownedFolder;

    /// <param name="databasePath">A file another factory uses too; by default a fresh temp file, deleted on dispose.</param>
    public UsersApiFactory(string? databasePath = null)
    {
        if (databasePath is null)
        {
            _ownedFolder = Directory.CreateTempSubdirectory("microdemo-users-");
            databasePath = Path.Combine(_ownedFolder.FullName, "users.db");
        }

        DatabasePath = databasePath;
    }

    public string DatabasePath { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting(SettingNames.ServiceRegisterInConsul, "false");
        builder.UseSetting(SettingNames.ServicePort, "5000");
        builder.UseSetting(SettingNames.DatabasePath, DatabasePath);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // WebApplicationFactory calls this from both Dispose and DisposeAsync.
        if (_ownedFolder is not null && Directory.Exists(_ownedFolder.FullName))
        {
            SqliteConnection.ClearAllPools();
            _ownedFolder.Delete(recursive: true);
        }
    }
}
