using MicroDemo.ServiceDefaults;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace MicroDemo.Orders.Tests;

/// <summary>The orders service in memory on a temp database, not registered in Consul but looking users up there.</summary>
/// <param name="consulUrl">The agent to find users in; by default one nobody listens on.</param>
public sealed class OrdersApiFactory(Uri? consulUrl = null, string usersServiceName = "users") : WebApplicationFactory<Program>
{
    public const string ServedBy = "orders-127.0.0.1-5000";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("microdemo-orders-");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting(SettingNames.ServiceRegisterInConsul, "false");
        builder.UseSetting(SettingNames.ServicePort, "5000");
        builder.UseSetting(SettingNames.DatabasePath, Path.Combine(_folder.FullName, "orders.db"));
        builder.UseSetting(SettingNames.ConsulUrl, (consulUrl ?? new Uri("http://127.0.0.1:9/")).ToString());
        builder.UseSetting(SettingNames.UsersServiceName, usersServiceName);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // WebApplicationFactory calls this from both Dispose and DisposeAsync.
        if (Directory.Exists(_folder.FullName))
        {
            SqliteConnection.ClearAllPools();
            _folder.Delete(recursive: true);
        }
    }
}
