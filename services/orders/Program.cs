using MicroDemo.Orders.Data;
using MicroDemo.Orders.Faults;
using MicroDemo.Orders.Orders;
using MicroDemo.Orders.UsersService;
using MicroDemo.ServiceDefaults;
using MicroDemo.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSqliteDatabase<OrdersSchema>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<OrderStore>();
builder.Services.AddUsersClient(builder.Configuration);
builder.Services.AddFaultInjection();

var app = builder.Build();
app.MapServiceDefaults();
app.UseFaultInjection();
app.MapFaultEndpoints();
app.MapOrdersEndpoints();
app.Run();

public partial class Program;
