using MicroDemo.Identity;
using MicroDemo.Identity.Secrets;
using MicroDemo.ServiceDefaults;

if (args is [HashCommand.Name, .. var hashArguments])
{
    return HashCommand.Run(hashArguments, Console.In, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddIdentityService(builder.Configuration);

var app = builder.Build();
app.MapServiceDefaults();
app.MapIdentityEndpoints();
app.Run();
return 0;

public partial class Program;
