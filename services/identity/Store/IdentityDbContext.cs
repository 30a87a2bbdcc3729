using Microsoft.EntityFrameworkCore;

namespace MicroDemo.Identity.Store;

/// <summary>OpenIddict's stores (applications, authorizations, scopes, tokens) in one SQLite file.</summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options);
