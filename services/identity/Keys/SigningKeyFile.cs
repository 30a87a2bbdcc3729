using System.Security.Cryptography;
using System.Text.Json;

namespace MicroDemo.Identity.Keys;

/// <summary>What the key file holds: the signing key, the announced next one, and retired ones still published.</summary>
public sealed record StoredKeySet(StoredKey Active, StoredKey Next, IReadOnlyList<StoredKey> Retired);

/// <summary>An RSA private key as base64 PKCS#8.</summary>
public sealed record StoredKey(string PrivateKey, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt = null)
{
    public static StoredKey Generate(DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        return new StoredKey(Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()), now);
    }
}

/// <summary>
/// Reads and writes the key file. The file holds private keys, so on Unix it is created with mode 0600
/// (and its folder 0700) from the start rather than restricted afterwards, leaving no moment where others can read it.
/// </summary>
public sealed class SigningKeyFile(string path)
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerReadWrite | UnixFileMode.UserExecute;

    public string Path { get; } = path;

    public StoredKeySet? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(Path), IdentityJsonContext.Default.StoredKeySet)
                ?? throw new InvalidDataException("the file holds JSON null");
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException)
        {
            throw new InvalidOperationException(
                $"The signing key file '{Path}' (Identity:KeyPath) is not valid: {exception.Message} Restore it from a backup, or delete it to start with a new key (tokens issued with the old one will stop validating).",
                exception);
        }
    }

    /// <summary>True when group or others may read or write the file, which they should not for a private key.</summary>
    public bool IsReadableByOthers() =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(Path) & ~(OwnerReadWrite | UnixFileMode.UserExecute)) != 0;

    /// <summary>Writes to a temporary file first and then renames it, so a crash never leaves half a key file.</summary>
    public void Save(StoredKeySet keys)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        var temporary = Path + ".tmp";
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }

        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, keys, IdentityJsonContext.Default.StoredKeySet);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
