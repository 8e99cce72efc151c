namespace DynReg.Middleware.EntityFrameworkCore;

/// <summary>Settings of the Entity Framework Core stores.</summary>
public sealed class EntityFrameworkCoreStoreOptions
{
    /// <summary>
    /// Applies pending migrations when the host starts. Null (the default): only in the Development
    /// environment; elsewhere a schema that is behind stops the start with an error naming the
    /// missing migrations, so a deployment applies them deliberately (EF Core docs: "Applying Migrations").
    /// </summary>
    public bool? ApplyMigrationsAtStartup { get; set; }

    /// <summary>How often expired protocol state is deleted. Five minutes by default.</summary>
    public TimeSpan ExpiredStateCleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// When the host added no signing key, the first instance to start generates one and stores it
    /// in the database, and every instance signs with it. On by default.
    /// </summary>
    public bool ShareGeneratedSigningKey { get; set; } = true;

    /// <summary>Keeps ASP.NET Core Data Protection's key ring in the database (every instance reads the same keys). On by default.</summary>
    public bool PersistDataProtectionKeys { get; set; } = true;
}
