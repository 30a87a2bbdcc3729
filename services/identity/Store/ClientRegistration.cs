using MicroDemo.Identity.Options;
using MicroDemo.Identity.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MicroDemo.Identity.Store;

/// <summary>
/// Creates the database and makes OpenIddict's applications match <c>Identity:Clients</c> and <c>Identity:Apis</c>
/// at every start. OpenIddict keeps clients in its store and has no notion of clients in configuration; here the
/// configuration stays the single source, and updating rows in place (rather than recreating them) keeps the tokens
/// already issued, which belong to their application row.
/// </summary>
public sealed partial class ClientRegistration(
    IServiceScopeFactory scopes,
    IOptions<IdentityServiceOptions> options,
    ILogger<ClientRegistration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        await database.Database.EnsureCreatedAsync(cancellationToken);

        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptors = options.Value.Clients.Select(client => ClientDescriptor(client.Key, client.Value))
            .Concat(options.Value.Apis.Select(api => ApiDescriptor(api.Key, api.Value)));
        foreach (var descriptor in descriptors)
        {
            await RegisterAsync(database, applications, descriptor, cancellationToken);
        }

        await database.SaveChangesAsync(cancellationToken);
        await RemoveUnconfiguredAsync(applications, [.. options.Value.Clients.Keys, .. options.Value.Apis.Keys], cancellationToken);

        LogRegistered(logger, options.Value.Clients.Count, options.Value.Apis.Count, database.Database.GetDbConnection().DataSource);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A client taken out of configuration loses its access at once, with its tokens (the store deletes them with it).</summary>
    private async Task RemoveUnconfiguredAsync(IOpenIddictApplicationManager applications, HashSet<string> configured, CancellationToken cancellationToken)
    {
        var removed = new List<object>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            if (await applications.GetClientIdAsync(application, cancellationToken) is not { } clientId || !configured.Contains(clientId))
            {
                removed.Add(application);
            }
        }

        foreach (var application in removed)
        {
            LogRemoved(logger, await applications.GetClientIdAsync(application, cancellationToken) ?? "(none)");
            await applications.DeleteAsync(application, cancellationToken);
        }
    }

    /// <remarks>
    /// The manager fills the row (PopulateAsync copies the secret as given: already hashed, in OpenIddict's format), but the
    /// row is saved through the context: the manager's CreateAsync insists on hashing a clear secret, which is never at hand here.
    /// </remarks>
    private static async Task RegisterAsync(
        IdentityDbContext database,
        IOpenIddictApplicationManager applications,
        OpenIddictApplicationDescriptor descriptor,
        CancellationToken cancellationToken)
    {
        var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
        var application = existing as OpenIddictEntityFrameworkCoreApplication ?? new OpenIddictEntityFrameworkCoreApplication();
        await applications.PopulateAsync(application, descriptor, cancellationToken);
        if (existing is null)
        {
            database.Add(application);
        }
    }

    private static OpenIddictApplicationDescriptor ClientDescriptor(string clientId, ClientOptions client)
    {
        var descriptor = Confidential(clientId, client.SecretHash);
        descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.Endpoints.Revocation]);
        descriptor.Permissions.UnionWith(client.AllowedGrantTypes.Select(grantType => Permissions.Prefixes.GrantType + grantType));
        return descriptor;
    }

    // An API only checks tokens: it may call the introspection endpoint and nothing else.
    private static OpenIddictApplicationDescriptor ApiDescriptor(string apiName, ApiOptions api)
    {
        var descriptor = Confidential(apiName, api.SecretHash);
        descriptor.Permissions.Add(Permissions.Endpoints.Introspection);
        return descriptor;
    }

    private static OpenIddictApplicationDescriptor Confidential(string clientId, string secretHash) => new()
    {
        ClientId = clientId,
        ClientType = ClientTypes.Confidential,
        ClientSecret = SecretHash.TryParse(secretHash, out var hash, out _)
            ? hash.ToOpenIddictFormat()
            : throw new InvalidOperationException($"'{clientId}' has an invalid secret hash."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed client {ClientId}, which configuration no longer lists, with its tokens")]
    private static partial void LogRemoved(ILogger logger, string clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {ClientCount} clients and {ApiCount} APIs in {Database}")]
    private static partial void LogRegistered(ILogger logger, int clientCount, int apiCount, string database);
}
