using DynReg.Middleware.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds the provider's tables to a host's own <see cref="DbContext"/>.</summary>
public static class DynamicRegistrationModelBuilderExtensions
{
    /// <summary>
    /// Maps the tables of DynReg.Middleware (clients, connections, tenant settings, consents, protocol state,
    /// the shared signing key, and Data Protection keys) into the model; call it from
    /// <c>OnModelCreating</c>, then add a migration as for any other change of the model.
    /// </summary>
    /// <param name="modelBuilder">The host context's model builder.</param>
    /// <param name="schema">A schema for the tables (PostgreSQL); null for the default one.</param>
    public static ModelBuilder UseDynamicRegistration(this ModelBuilder modelBuilder, string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<ClientRow>(client =>
        {
            client.ToTable("DynRegClients", schema);
            client.HasKey(c => c.Sequence);
            client.Property(c => c.Sequence).ValueGeneratedOnAdd();
            client.Property(c => c.ClientId).HasMaxLength(256);
            client.HasIndex(c => c.ClientId).IsUnique();
            client.Property(c => c.ClientName).HasMaxLength(1024);
            client.HasIndex(c => c.ClientName);
            client.HasIndex(c => c.IsDynamicallyRegistered);
            client.Property(c => c.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<ConnectionRow>(connection =>
        {
            connection.ToTable("DynRegConnections", schema);
            connection.HasKey(c => c.Sequence);
            connection.Property(c => c.Sequence).ValueGeneratedOnAdd();
            connection.Property(c => c.Id).HasMaxLength(256);
            connection.HasIndex(c => c.Id).IsUnique();
            connection.Property(c => c.NormalizedName).HasMaxLength(1024);

            // Named, so a unique violation on it is told apart from one on the id (see EfFailure).
            connection.HasIndex(c => c.NormalizedName).IsUnique().HasDatabaseName(EfFailure.ConnectionNameIndex);
            connection.Property(c => c.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<TenantSettingsRow>(settings =>
        {
            settings.ToTable("DynRegTenantSettings", schema);
            settings.HasKey(s => s.Id);
            settings.Property(s => s.Id).ValueGeneratedNever();
            settings.Property(s => s.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<ConsentRow>(consent =>
        {
            consent.ToTable("DynRegConsents", schema);
            consent.HasKey(c => new { c.Subject, c.ClientId, c.Audience, c.Scope });
        });

        modelBuilder.Entity<ProtocolStateRow>(state =>
        {
            state.ToTable("DynRegProtocolState", schema);
            state.HasKey(s => s.Key);
            state.Property(s => s.Key).HasMaxLength(512);

            // The cleanup deletes by expiry.
            state.HasIndex(s => s.ExpiresAt);
        });

        modelBuilder.Entity<SigningKeyRow>(key =>
        {
            key.ToTable("DynRegSigningKeys", schema);
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasMaxLength(64);
        });

        modelBuilder.Entity<DataProtectionKey>(key => key.ToTable("DynRegDataProtectionKeys", schema));
        return modelBuilder;
    }
}
