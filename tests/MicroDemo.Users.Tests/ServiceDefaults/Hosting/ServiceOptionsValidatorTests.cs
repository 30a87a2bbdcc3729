using MicroDemo.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace MicroDemo.Users.Tests.ServiceDefaults.Hosting;

public sealed class ServiceOptionsValidatorTests
{
    [Theory]
    [InlineData(SettingNames.ServiceAddress, "0.0.0.0")]
    [InlineData(SettingNames.ServiceAddress, "::")]
    [InlineData(SettingNames.ServiceAddress, "http://users")]
    [InlineData(SettingNames.ServiceAddress, "users:5020")]
    [InlineData(SettingNames.ServiceAddress, "")]
    [InlineData(SettingNames.ServiceName, "")]
    [InlineData(SettingNames.ServicePort, "0")]
    public async Task Bad_setting_stops_startup_naming_the_key(string key, string value)
    {
        await using var app = TestService.Build(Settings((key, value)));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(key, error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("users")]
    public async Task Dialable_address_starts(string address)
    {
        await using var app = TestService.Build(Settings((SettingNames.ServiceAddress, address)));

        await app.StartAsync();
        await app.StopAsync();
    }

    private static Dictionary<string, string?> Settings((string Key, string Value) change) => new()
    {
        [SettingNames.ServiceName] = "svc",
        [SettingNames.ServiceRegisterInConsul] = "false",
        [change.Key] = change.Value,
    };
}
