namespace MicroDemo.Orders.UsersService;

/// <summary>What the users service said about a user id.</summary>
public enum UserCheck
{
    /// <summary>Users answered 200.</summary>
    Exists,

    /// <summary>Users answered 404.</summary>
    NotFound,

    /// <summary>No healthy instance, or every attempt failed (connection error, timeout, 5xx).</summary>
    Unavailable,
}
