using System.Security.Cryptography;
using MicroDemo.Identity.Options;
using MicroDemo.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;

namespace MicroDemo.Identity.Keys;

/// <summary>
/// The keys of the token service. Three kinds are published in the JWKS:
/// <list type="bullet">
/// <item>the active key, which signs every new token;</item>
/// <item>the next key, announced ahead of time: resource servers that fetch the JWKS now already know it
/// when a rotation makes it active, so no request fails on an unknown <c>kid</c>;</item>
/// <item>retired keys, kept until the last token they signed has expired.</item>
/// </list>
/// A rotation (<c>Identity:RotateKey</c> at startup) retires the active key, activates the next one and announces a new next key.
/// OpenIddict signs with the keys it is given and publishes them, but neither keeps RSA keys in a file of the run
/// folder nor rotates them ahead of time, so that part stays here; <see cref="Published"/> is what it gets, in order.
/// </summary>
public sealed partial class SigningKeyRing : IDisposable
{
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<(SigningKey Key, DateTimeOffset? PublishedUntil)> _retired;

    public SigningKeyRing(IOptions<IdentityServiceOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<SigningKeyRing> logger)
    {
        _time = time;
        // Validators accept a token this long after its exp, so a retired key has to stay published as long.
        var retention = options.Value.TokenLifetime + TokenValidationDefaults.ClockSkew;
        var file = new SigningKeyFile(System.IO.Path.GetFullPath(options.Value.KeyPath, environment.ContentRootPath));
        var now = time.GetUtcNow();

        var stored = file.Load();
        if (stored is null)
        {
            stored = new StoredKeySet(StoredKey.Generate(now), StoredKey.Generate(now), []);
            file.Save(stored);
        }
        else if (options.Value.RotateKey)
        {
            var stillPublished = stored.Retired.Where(key => key.RetiredAt + retention > now);
            stored = new StoredKeySet(stored.Next, StoredKey.Generate(now), [.. stillPublished, stored.Active with { RetiredAt = now }]);
            file.Save(stored);
            LogKeyRotated(logger, file.Path);
        }
        else if (file.IsReadableByOthers())
        {
            LogKeyFileReadableByOthers(logger, file.Path);
        }

        Active = Import(stored.Active, file);
        Next = Import(stored.Next, file);
        _retired = [.. stored.Retired.Select(key => (Import(key, file), key.RetiredAt + retention))];
        FilePath = file.Path;
    }

    public string FilePath { get; }

    /// <summary>Signs every new token.</summary>
    public SigningKey Active { get; }

    /// <summary>Announced in the JWKS; becomes <see cref="Active"/> at the next rotation.</summary>
    public SigningKey Next { get; }

    /// <summary>The keys of the JWKS: active, next, and the retired keys whose tokens may still be valid.</summary>
    public IEnumerable<SigningKey> Published()
    {
        var now = _time.GetUtcNow();
        return [Active, Next, .. _retired.Where(key => key.PublishedUntil > now).Select(key => key.Key)];
    }

    public void Dispose()
    {
        Active.Dispose();
        Next.Dispose();
        foreach (var (key, _) in _retired)
        {
            key.Dispose();
        }
    }

    private static SigningKey Import(StoredKey stored, SigningKeyFile file)
    {
        try
        {
            return SigningKey.Import(stored.PrivateKey);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidOperationException(
                $"The signing key file '{file.Path}' (Identity:KeyPath) holds a key created {stored.CreatedAt:u} that is not an RSA private key: {exception.Message}",
                exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated the signing keys in {Path}: the announced key now signs, the previous one stays published until its tokens expire")]
    private static partial void LogKeyRotated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The signing key file {Path} can be read by other users; restrict it to its owner (chmod 600)")]
    private static partial void LogKeyFileReadableByOthers(ILogger logger, string path);
}
