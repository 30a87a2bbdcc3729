using MicroDemo.ServiceDefaults;

// The smallest MicroDemo service: ServiceDefaults registers it in Consul under Service:Name, with a health
// check, and deregisters it on shutdown. The gateway's dynamic routing (/{service}/...) serves it as soon as
// Consul says it passes: nobody edits ocelot.json or restarts the gateway.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();
app.MapServiceDefaults();
app.MapGet("/", () => "Hello from a service the gateway has never heard of");
app.Run();
