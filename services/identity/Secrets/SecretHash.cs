using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace MicroDemo.Identity.Secrets;

/// <summary>
/// A salted PBKDF2-HMAC-SHA256 hash of a client secret or user password, written as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;base64 salt&gt;$&lt;base64 hash&gt;</c>.
/// The iteration count travels with the hash so it can be raised later without invalidating old hashes.
/// </summary>
/// <remarks>
/// OpenIddict checks client secrets itself but knows nothing of users, and ASP.NET Core Identity's PasswordHasher
/// is not in the shared framework without the Identity packages, so the few lines of format handling live here:
/// one format for every secret in configuration, handed to OpenIddict through <see cref="ToOpenIddictFormat"/>.
/// </remarks>
public sealed class SecretHash
{
    public const int DefaultIterations = 100_000;

    /// <summary>Below this, a hash is rejected at startup: it would be cheap to brute-force if leaked.</summary>
    public const int MinimumIterations = 10_000;

    private const string Algorithm = "pbkdf2-sha256";
    private const int SaltSize = 16;
    private const int HashSize = 32;

    /// <summary>Compared against when the client or user is unknown, so that case costs as much as a wrong secret.</summary>
    private static readonly SecretHash Decoy = Create(Guid.NewGuid().ToString());

    private readonly int _iterations;
    private readonly byte[] _salt;
    private readonly byte[] _hash;

    private SecretHash(int iterations, byte[] salt, byte[] hash)
    {
        _iterations = iterations;
        _salt = salt;
        _hash = hash;
    }

    public static SecretHash Create(string secret, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinimumIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        return new SecretHash(iterations, salt, Derive(secret, salt, iterations));
    }

    public static bool TryParse(string? encoded, [NotNullWhen(true)] out SecretHash? hash, [NotNullWhen(false)] out string? error)
    {
        hash = null;
        var parts = (encoded ?? "").Split('$');
        if (parts.Length != 4 || parts[0] != Algorithm)
        {
            error = $"expected '{Algorithm}$<iterations>$<base64 salt>$<base64 hash>' (make one with: dotnet MicroDemo.Identity.dll hash)";
            return false;
        }

        if (!int.TryParse(parts[1], out var iterations) || iterations < MinimumIterations)
        {
            error = $"the iteration count must be a whole number of at least {MinimumIterations}";
            return false;
        }

        var salt = new byte[parts[2].Length];
        var derived = new byte[parts[3].Length];
        if (!Convert.TryFromBase64String(parts[2], salt, out var saltLength) || saltLength < SaltSize
            || !Convert.TryFromBase64String(parts[3], derived, out var derivedLength) || derivedLength != HashSize)
        {
            error = $"the salt must be at least {SaltSize} and the hash exactly {HashSize} base64-encoded bytes";
            return false;
        }

        hash = new SecretHash(iterations, salt[..saltLength], derived[..derivedLength]);
        error = null;
        return true;
    }

    /// <summary>Constant-time comparison, so response time does not reveal how much of a guess was right.</summary>
    public bool Matches(string secret) =>
        CryptographicOperations.FixedTimeEquals(Derive(secret, _salt, _iterations), _hash);

    /// <summary>Spends the time of a real comparison, so an unknown client or user cannot be told from a wrong secret.</summary>
    public static void CompareWithDecoy(string secret) => Decoy.Matches(secret);

    /// <summary>
    /// The same PBKDF2 hash in the layout OpenIddict stores and verifies client secrets in (ASP.NET Core Identity's v3:
    /// 0x01, then big-endian PRF 1 = HMAC-SHA256, iteration count and salt length, then salt and hash, in base64).
    /// </summary>
    public string ToOpenIddictFormat()
    {
        var payload = new byte[13 + _salt.Length + _hash.Length];
        payload[0] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(1), 1);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(5), (uint)_iterations);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(9), (uint)_salt.Length);
        _salt.CopyTo(payload, 13);
        _hash.CopyTo(payload, 13 + _salt.Length);
        return Convert.ToBase64String(payload);
    }

    public override string ToString() =>
        $"{Algorithm}${_iterations}${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_hash)}";

    private static byte[] Derive(string secret, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, HashSize);
}
