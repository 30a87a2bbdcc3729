using MicroDemo.Gateway.Admin;
using MicroDemo.Gateway.ClientAddress;
using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Dashboard;
using MicroDemo.Gateway.Health;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Gateway.Pipeline;
using MicroDemo.ServiceDefaults;
using MicroDemo.ServiceDefaults.Health;
using MicroDemo.ServiceDefaults.Telemetry;

// Settings ship next to the binary, so the gateway finds them whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// `--ocelot my.json` picks the configuration file; `--urls` works as usual.
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--ocelot"] = SettingNames.GatewayOcelotFile });
// The stack's token service, when one is named, is the gateway's "Bearer" provider (ocelot.json's provider key),
// reached the way the services reach it (docker-compose.yml: plain http on its private network).
if (builder.Configuration[SettingNames.IdentityAuthority] is { Length: > 0 } authority)
{
    builder.Configuration["Gateway:Authentication:Providers:Bearer:Authority"] = authority;
    if (builder.Configuration[SettingNames.IdentityRequireHttpsMetadata] is { Length: > 0 } requireHttps)
    {
        builder.Configuration["Gateway:Authentication:Providers:Bearer:RequireHttpsMetadata"] = requireHttps;
    }
}

builder.AddServiceDefaults();
builder.ConfigureGatewayKestrel();
builder.AddGatewayResponseCompression();
builder.Services.AddGatewayPipeline(builder.Configuration);
builder.Services.AddGatewayAdministration(builder.Configuration);
builder.Services.AddGatewayDashboard(builder.Configuration);
builder.Services.AddHealthChecks()
    .AddCheck<CircuitBreakerHealthCheck>(CircuitBreakerHealthCheck.Name)
    .AddCheck<ConfigurationHealthCheck>(ConfigurationHealthCheck.Name);

var app = builder.Build();
// First: everything after it, endpoints included, sees the client behind a trusted edge, not the edge.
app.UseGatewayTrustedProxies(app.Configuration);
// Endpoints (health, admin API) are matched first; what none of them claims, the gateway forwards.
app.UseRouting();
// The gateway's own answers (health, admin API) name the replica; forwarded responses keep the service's X-Served-By.
app.UseWhen(context => context.GetEndpoint() is not null, endpoints => endpoints.UseServedBy());
app.UseGatewayResponseCompression();
app.MapHealthEndpoints();
app.MapServiceMetrics();
app.MapGatewayAdministration();
app.MapGatewayDashboard();

try
{
    app.UseGateway();
    // For the endpoints only: the gateway answers its own errors, and its routes authenticate themselves.
    app.UseExceptionHandler();
    app.UseAuthentication();
    app.Run();
    return 0;
}
catch (GatewayConfigurationException invalid)
{
    // An invalid ocelot.json is the user's to fix: say what is wrong, without a stack trace.
    Console.Error.WriteLine(invalid.Message);
    return 1;
}

public partial class Program;
