using MicroDemo.Gateway.Admin;
using MicroDemo.Gateway.Health;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Gateway.Pipeline;
using MicroDemo.ServiceDefaults;
using MicroDemo.ServiceDefaults.Health;

var builder = WebApplication.CreateBuilder(args);
// `--ocelot my.json` picks the configuration file; `--urls` works as usual.
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--ocelot"] = SettingNames.GatewayOcelotFile });

builder.AddServiceDefaults();
builder.ConfigureGatewayKestrel();
builder.AddGatewayResponseCompression();
builder.Services.AddGatewayPipeline(builder.Configuration);
builder.Services.AddGatewayAdministration(builder.Configuration);
builder.Services.AddHealthChecks().AddCheck<CircuitBreakerHealthCheck>(CircuitBreakerHealthCheck.Name);

var app = builder.Build();
app.UseExceptionHandler();
app.UseGatewayResponseCompression();
app.UseRouting();
app.MapHealthEndpoints();
app.MapGatewayAdministration();
app.RunGateway();
app.Run();

public partial class Program;
