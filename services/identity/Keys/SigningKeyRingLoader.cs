namespace MicroDemo.Identity.Keys;

/// <summary>
/// Takes the key ring as a dependency so it is loaded while the host starts: a broken key file stops startup
/// with its message instead of failing the first token request. Then says which keys are in use.
/// </summary>
public sealed partial class SigningKeyRingLoader(SigningKeyRing ring, ILogger<SigningKeyRingLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogKeysInUse(logger, ring.FilePath, ring.Active.KeyId, ring.Next.KeyId, ring.Published().Count());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing keys from {Path}: signing with {ActiveKeyId}, announcing {NextKeyId}, {PublishedCount} keys published")]
    private static partial void LogKeysInUse(ILogger logger, string path, string activeKeyId, string nextKeyId, int publishedCount);
}
