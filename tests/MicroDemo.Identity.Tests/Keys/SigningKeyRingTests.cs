using System.Runtime.Versioning;
using System.Text.Json;
using MicroDemo.Identity.Tests.Discovery;
using Microsoft.IdentityModel.JsonWebTokens;
using static MicroDemo.Identity.Tests.TokenRequests;

namespace MicroDemo.Identity.Tests.Keys;

public sealed class SigningKeyRingTests : IDisposable
{
    private readonly string _sharedFolder = IdentityFactory.NewTemporaryFolder();

    public void Dispose() => Directory.Delete(_sharedFolder, recursive: true);

    [Fact]
    public async Task Key_survives_a_restart_and_old_tokens_still_validate()
    {
        string firstToken;
        string[] firstKids;
        using (var first = new IdentityFactory { KeyFolder = _sharedFolder })
        {
            var client = first.CreateClient();
            firstToken = (await ClientCredentialsAsync(client)).AccessToken;
            firstKids = await KeyIdsAsync(client);
        }

        using var second = new IdentityFactory { KeyFolder = _sharedFolder };
        var secondClient = second.CreateClient();
        var secondToken = (await ClientCredentialsAsync(secondClient)).AccessToken;

        Assert.Equal(firstKids, await KeyIdsAsync(secondClient));
        Assert.Equal(new JsonWebToken(firstToken).Kid, new JsonWebToken(secondToken).Kid);
        var result = await DiscoveryEndpointsTests.ValidateAsync(firstToken, await secondClient.GetStringAsync("/.well-known/jwks.json"));
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Key_file_and_folder_are_readable_by_their_owner_only()
    {
        using var identity = new IdentityFactory { KeyFolder = _sharedFolder };
        await ClientCredentialsAsync(identity.CreateClient());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(identity.KeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(identity.KeyPath)!));
        Assert.DoesNotContain(identity.Logs.Entries, entry => entry.Message.Contains("can be read by other users", StringComparison.Ordinal));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Loose_key_file_permissions_are_reported()
    {
        using (var first = new IdentityFactory { KeyFolder = _sharedFolder })
        {
            await ClientCredentialsAsync(first.CreateClient());
            File.SetUnixFileMode(first.KeyPath, File.GetUnixFileMode(first.KeyPath) | UnixFileMode.OtherRead);
        }

        using var second = new IdentityFactory { KeyFolder = _sharedFolder };
        await ClientCredentialsAsync(second.CreateClient());

        Assert.Contains(second.Logs.Entries, entry => entry.Level == Microsoft.Extensions.Logging.LogLevel.Warning && entry.Message.Contains("can be read by other users", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rotation_signs_with_the_announced_key_and_keeps_the_old_key_published()
    {
        string oldToken;
        string[] before;
        using (var first = new IdentityFactory { KeyFolder = _sharedFolder })
        {
            var client = first.CreateClient();
            oldToken = (await ClientCredentialsAsync(client)).AccessToken;
            before = await KeyIdsAsync(client);
        }

        using var rotated = new IdentityFactory { KeyFolder = _sharedFolder, Settings = new Dictionary<string, string?> { ["Identity:RotateKey"] = "true" } };
        var rotatedClient = rotated.CreateClient();
        var newToken = (await ClientCredentialsAsync(rotatedClient)).AccessToken;
        var after = await KeyIdsAsync(rotatedClient);

        var (oldActive, announced) = (before[0], before[1]);
        Assert.Equal(oldActive, new JsonWebToken(oldToken).Kid);
        Assert.Equal(announced, new JsonWebToken(newToken).Kid);
        Assert.Equal(3, after.Length);
        Assert.Equal(announced, after[0]);
        Assert.DoesNotContain(after[1], before);
        Assert.Equal(oldActive, after[2]);
        var jwks = await rotatedClient.GetStringAsync("/.well-known/jwks.json");
        Assert.True((await DiscoveryEndpointsTests.ValidateAsync(oldToken, jwks)).IsValid);
        Assert.True((await DiscoveryEndpointsTests.ValidateAsync(newToken, jwks)).IsValid);
    }

    [Fact]
    public async Task Retired_key_leaves_the_jwks_once_its_tokens_have_expired()
    {
        using (var first = new IdentityFactory { KeyFolder = _sharedFolder })
        {
            await ClientCredentialsAsync(first.CreateClient());
        }

        using (var rotated = new IdentityFactory { KeyFolder = _sharedFolder, Settings = new Dictionary<string, string?> { ["Identity:RotateKey"] = "true" } })
        {
            Assert.Equal(3, (await KeyIdsAsync(rotated.CreateClient())).Length);
        }

        // Token lifetime (1 h) plus the validators' clock skew (30 s) later, the retired key is gone.
        using var later = new IdentityFactory { KeyFolder = _sharedFolder, Time = new ShiftedTimeProvider(TimeSpan.FromMinutes(66)) };
        Assert.Equal(2, (await KeyIdsAsync(later.CreateClient())).Length);
    }

    [Fact]
    public void Corrupt_key_file_stops_startup_with_the_path()
    {
        var path = Path.Combine(_sharedFolder, "keys", "signing-keys.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{ not json");
        using var identity = new IdentityFactory { KeyFolder = _sharedFolder };

        var error = Assert.ThrowsAny<Exception>(() => identity.CreateClient());

        Assert.Contains(path, error.Message);
        Assert.Contains("Identity:KeyPath", error.Message);
    }

    private static async Task<string[]> KeyIdsAsync(HttpClient client)
    {
        using var jwks = JsonDocument.Parse(await client.GetStringAsync("/.well-known/jwks.json"));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!)];
    }
}
