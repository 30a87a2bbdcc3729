using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MicroDemo.ServiceDefaults.Authentication;

/// <summary>Says loudly at startup that the service's endpoints are open because no token service is configured.</summary>
internal sealed partial class AuthenticationDisabledWarning(ILogger<AuthenticationDisabledWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogAuthenticationDisabled(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Identity:Authority is not set: authentication is OFF and every endpoint that requires a scope is open to anyone. Set it to the token service URL to validate access tokens.")]
    private static partial void LogAuthenticationDisabled(ILogger logger);
}
