using MicroDemo.ServiceDefaults;
using MicroDemo.ServiceDefaults.Data;
using MicroDemo.Users.Data;
using MicroDemo.Users.Users;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSqliteDatabase<UsersSchema>();
builder.Services.AddSingleton<UserStore>();

var app = builder.Build();
app.MapServiceDefaults();
app.MapUsersEndpoints();
app.Run();

public partial class Program;
