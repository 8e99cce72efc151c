using DynReg.Middleware;
using DynReg.Middleware.EntityFrameworkCore;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Stores;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the provider's state in a database through Entity Framework Core: nothing is lost on a restart.</summary>
public static class EntityFrameworkCoreDynamicRegistrationBuilderExtensions
{
    /// <summary>
    /// Replaces the in-memory stores with the host's own <typeparamref name="TContext"/>, whose model
    /// includes the provider's tables (<c>modelBuilder.UseDynamicRegistration()</c>) and which the
    /// host registered (<c>AddDbContext</c> or <c>AddDbContextFactory</c>). Clients, connections,
    /// tenant settings, consents, protocol state, the shared signing key and, when
    /// <typeparamref name="TContext"/> is an <see cref="IDataProtectionKeyContext"/>, Data Protection keys.
    /// </summary>
    public static DynamicRegistrationBuilder AddEntityFrameworkCoreStores<TContext>(
        this DynamicRegistrationBuilder builder,
        Action<EntityFrameworkCoreStoreOptions>? configure = null) where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<EntityFrameworkCoreStoreOptions>().Configure(configure ?? (_ => { }));
        if (services.Any(d => d.ServiceType == typeof(ContextSource<TContext>)))
        {
            return builder;
        }

        services.AddSingleton<ContextSource<TContext>>();
        services.AddSingleton<DatabaseStartup<TContext>>();

        // First among the hosted services' starts: the schema is ready before anything seeds.
        services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<DatabaseStartup<TContext>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreFailureClassifier, EfFailureClassifier>());

        builder.AddClientStore<EfClientStore<TContext>>()
            .AddConnectionStore<EfConnectionStore<TContext>>()
            .AddTenantSettingsStore<EfTenantSettingsStore<TContext>>()
            .AddProtocolStateStore<EfProtocolStateStore<TContext>>()
            .AddConsentStore<EfConsentStore<TContext>>()
            .UseSigningKeySource<EfSigningKeySource<TContext>>();
        services.AddSingleton<ExpiredStateCleanup<TContext>>();
        services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<ExpiredStateCleanup<TContext>>());

        if (typeof(IDataProtectionKeyContext).IsAssignableFrom(typeof(TContext)))
        {
            services.AddDataProtection();
            services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider, IOptions<EntityFrameworkCoreStoreOptions>>(
                static (keyManagement, sp, options) =>
                {
                    if (options.Value.PersistDataProtectionKeys)
                    {
                        // The package's repository has TContext : IDataProtectionKeyContext as a constraint; checked above.
                        var repository = typeof(EntityFrameworkCoreXmlRepository<>).MakeGenericType(typeof(TContext));
                        keyManagement.XmlRepository = (IXmlRepository)Activator.CreateInstance(repository, sp, sp.GetRequiredService<ILoggerFactory>())!;
                    }
                });
        }

        return builder;
    }

    /// <summary>
    /// The stores in a SQLite database of their own (<see cref="SqliteDynRegDbContext"/>, with the
    /// package's SQLite migrations): the embedded default, for example <c>Data Source=dynreg.db</c>.
    /// </summary>
    public static DynamicRegistrationBuilder AddSqliteStores(
        this DynamicRegistrationBuilder builder,
        string connectionString,
        Action<EntityFrameworkCoreStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.AddDbContextFactory<SqliteDynRegDbContext>(o => o.UseSqlite(connectionString));
        return builder.AddEntityFrameworkCoreStores<SqliteDynRegDbContext>(configure);
    }

    /// <summary>
    /// The stores in a PostgreSQL database (<see cref="PostgreSqlDynRegDbContext"/>, with the package's
    /// PostgreSQL migrations): for production, and for several instances that act as one.
    /// </summary>
    public static DynamicRegistrationBuilder AddPostgreSqlStores(
        this DynamicRegistrationBuilder builder,
        string connectionString,
        Action<EntityFrameworkCoreStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.AddDbContextFactory<PostgreSqlDynRegDbContext>(o => o.UseNpgsql(connectionString));
        return builder.AddEntityFrameworkCoreStores<PostgreSqlDynRegDbContext>(configure);
    }

    /// <summary>
    /// Adds a health check (<c>AddHealthChecks()</c>) that reports whether the database answers.
    /// Map it with the host's own <c>app.MapHealthChecks(...)</c>.
    /// </summary>
    public static DynamicRegistrationBuilder AddEntityFrameworkCoreHealthCheck<TContext>(
        this DynamicRegistrationBuilder builder,
        string name = "dynreg-database",
        HealthStatus failureStatus = HealthStatus.Unhealthy,
        params string[] tags) where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(d => d.ServiceType == typeof(ContextSource<TContext>)))
        {
            throw new InvalidOperationException($"Call AddEntityFrameworkCoreStores<{typeof(TContext).Name}>() before AddEntityFrameworkCoreHealthCheck().");
        }

        builder.Services.AddHealthChecks().AddCheck<EfStoreHealthCheck<TContext>>(name, failureStatus, tags);
        return builder;
    }
}
