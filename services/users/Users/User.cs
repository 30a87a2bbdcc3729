namespace MicroDemo.Users.Users;

public sealed record User(long Id, string Name, string Email);
