using MicroDemo.Identity;
using MicroDemo.Identity.Secrets;

if (args is [HashCommand.Name, .. var hashArguments])
{
    return HashCommand.Run(hashArguments, Console.In, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddIdentityService(builder.Configuration);

var app = builder.Build();
app.MapIdentityEndpoints();
app.Run();
return 0;

public partial class Program;
