using System.Net;
using Microsoft.Extensions.Options;

namespace MicroDemo.ServiceDefaults.Hosting;

/// <summary>Fails startup with the offending key instead of registering an address nobody can dial.</summary>
internal sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            failures.Add($"{SettingNames.ServiceName} is required (e.g. 'users').");
        }

        if (string.IsNullOrWhiteSpace(options.Address))
        {
            failures.Add($"{SettingNames.ServiceAddress} is required (e.g. 127.0.0.1, or the compose service name).");
        }
        else if (IPAddress.TryParse(options.Address, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)))
        {
            failures.Add($"{SettingNames.ServiceAddress} is '{options.Address}': that is a listening wildcard, not an address " +
                         "anyone can dial. Use 127.0.0.1 natively or the compose service name in containers.");
        }
        else if (options.Address.Contains("://", StringComparison.Ordinal)
                 || (options.Address.Contains(':', StringComparison.Ordinal) && ip is null))
        {
            failures.Add($"{SettingNames.ServiceAddress} is '{options.Address}': give a host name or IP without scheme or port.");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"{SettingNames.ServicePort} is {options.Port}: it must be between 1 and 65535.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
