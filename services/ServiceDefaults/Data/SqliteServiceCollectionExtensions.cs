using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MicroDemo.ServiceDefaults.Data;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// The service's SQLite file (<c>Database:Path</c>, default <c>data/{Service:Name}.db</c> under the content root),
    /// created and seeded by <typeparamref name="TSchema"/> at startup, with a readiness check named "database".
    /// </summary>
    public static IHostApplicationBuilder AddSqliteDatabase<TSchema>(this IHostApplicationBuilder builder)
        where TSchema : class, ISqliteSchema
    {
        var configured = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var serviceName = builder.Configuration[SettingNames.ServiceName] is { Length: > 0 } name ? name : builder.Environment.ApplicationName;
        var path = Path.GetFullPath(
            string.IsNullOrWhiteSpace(configured.Path) ? Path.Combine("data", $"{serviceName}.db") : configured.Path,
            builder.Environment.ContentRootPath);

        builder.Services.AddSingleton(new SqliteDatabase(path));
        builder.Services.AddSingleton<ISqliteSchema, TSchema>();
        builder.Services.AddHostedService<SqliteSchemaInitializer>();
        builder.Services.AddHealthChecks().AddCheck<SqliteHealthCheck>("database");
        return builder;
    }
}
