using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace MicroDemo.Gateway.Security;

/// <summary>
/// Fetches and caches an issuer's OpenID Connect metadata and signing keys for one JwtBearer scheme.
/// </summary>
/// <remarks>
/// Written here rather than using IdentityModel's <c>ConfigurationManager</c> because that one remembers a
/// failed first fetch and waits (with growing back-off) before trying again, so the first requests after
/// the issuer comes up still fail. This manager:
/// <list type="bullet">
/// <item>fetches nothing at startup: the gateway starts while the issuer is down;</item>
/// <item>never caches a failure while it has no metadata: the first request after the issuer is up works;
/// concurrent requests share one fetch so a burst does not become a burst against the issuer;</item>
/// <item>honours <see cref="RequestRefresh"/> (unknown <c>kid</c>) by fetching before the token is re-checked,
/// at most once per <see cref="BaseConfigurationManager.RefreshInterval"/>, so a token signed with a freshly
/// rotated key validates on its first request, while tokens with made-up key ids cannot flood the issuer;</item>
/// <item>keeps serving the last good metadata when a refresh fails.</item>
/// </list>
/// </remarks>
public sealed class IssuerMetadataManager : BaseConfigurationManager, IConfigurationManager<OpenIdConnectConfiguration>
{
    private readonly IDocumentRetriever _documents;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task<OpenIdConnectConfiguration>? _inFlight;
    private volatile Snapshot? _current;
    private bool _reportedUnavailable;

    public IssuerMetadataManager(string metadataAddress, IDocumentRetriever documents, TimeProvider time, ILogger logger)
    {
        MetadataAddress = metadataAddress;
        _documents = documents;
        _time = time;
        _logger = logger;
    }

    /// <summary>True once metadata has been fetched; false while the issuer has never been reached.</summary>
    public bool HasMetadata => _current is not null;

    /// <summary>The metadata tokens are checked against now; null before the first fetch and once a refresh is due.</summary>
    public OpenIdConnectConfiguration? CurrentConfiguration =>
        _current is { } current && _time.GetUtcNow() < current.RefreshAt ? current.Configuration : null;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var current = _current;
        if (current is not null && _time.GetUtcNow() < current.RefreshAt)
        {
            return current.Configuration;
        }

        Task<OpenIdConnectConfiguration> fetch;
        lock (_gate)
        {
            // Task.Run keeps the fetch from completing inside the lock, which would leave _inFlight set for good.
            fetch = _inFlight ??= Task.Run(FetchAsync, CancellationToken.None);
        }

        return await fetch.WaitAsync(cancel);
    }

    public override async Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) =>
        await GetConfigurationAsync(cancel);

    public override void RequestRefresh()
    {
        var current = _current;
        var now = _time.GetUtcNow();
        if (current is not null && now >= current.AttemptedAt + RefreshInterval && now < current.RefreshAt)
        {
            _current = current with { RefreshAt = now };
        }
    }

    private async Task<OpenIdConnectConfiguration> FetchAsync()
    {
        try
        {
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(MetadataAddress, _documents, CancellationToken.None);
            var now = _time.GetUtcNow();
            if (_current is null)
            {
                Log.IssuerMetadataLoaded(_logger, MetadataAddress);
            }

            _reportedUnavailable = false;

            _current = new Snapshot(configuration, now, now + AutomaticRefreshInterval);
            return configuration;
        }
        catch (Exception e) when (_current is { } stale)
        {
            Log.IssuerMetadataRefreshFailed(_logger, MetadataAddress, e.Message);
            var now = _time.GetUtcNow();
            _current = stale with { AttemptedAt = now, RefreshAt = now + RefreshInterval };
            return stale.Configuration;
        }
        catch (Exception e)
        {
            // Every request retries while the issuer is down; one warning per outage is enough.
            if (!_reportedUnavailable)
            {
                _reportedUnavailable = true;
                Log.IssuerMetadataUnavailable(_logger, MetadataAddress, e.Message);
            }

            throw;
        }
        finally
        {
            lock (_gate)
            {
                _inFlight = null;
            }
        }
    }

    private sealed record Snapshot(OpenIdConnectConfiguration Configuration, DateTimeOffset AttemptedAt, DateTimeOffset RefreshAt);
}
