using DynReg.Middleware.Clients;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// Runs once when the host starts: seeds declared clients and connections (by name, so a restart or a
/// second instance adds nothing twice) and warns about development-only settings.
/// </summary>
internal sealed class DynamicRegistrationStartup(
    IConnectionStore connections,
    IClientStore clients,
    TimeProvider time,
    IOptions<ConnectionSeedOptions> seeds,
    IOptions<DynamicRegistrationOptions> options,
    ILogger<DynamicRegistrationStartup> logger,
    IHostEnvironment? environment = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Registration.AllowHttpLoopbackRedirectUrisForWebClients)
        {
            Log.HttpLoopbackRedirectUrisAllowed(logger);
        }

        // The default stores keep everything in this process: a restart forgets every client.
        if (environment?.IsProduction() == true && TimedStores.Undecorated(clients) is Stores.InMemory.InMemoryClientStore)
        {
            Log.InMemoryStoresInProduction(logger);
        }

        await SeedClientsAsync(cancellationToken);
        foreach (var connection in seeds.Value.Connections)
        {
            if (await connections.FindByNameAsync(connection.Name, cancellationToken) is not null)
            {
                continue;
            }

            var result = await connections.CreateAsync(connection, cancellationToken);
            if (result.Succeeded)
            {
                Log.ConnectionSeeded(logger, connection.Name, connection.Id);
            }
        }
    }

    // Host-declared clients follow their declaration: created when absent, brought in line when present.
    // The options validator has checked each against the client rules already (DeclaredClients.Check).
    private async Task SeedClientsAsync(CancellationToken cancellationToken)
    {
        foreach (var declared in options.Value.Clients)
        {
            var secretHash = declared.ClientSecret is { Length: > 0 } secret ? ClientSecrets.Hash(secret) : null;
            Client Declared(Client? existing) => DeclaredClients.ToClient(declared, secretHash, existing?.CreatedAt ?? time.GetUtcNow());

            var created = await clients.CreateAsync(Declared(null), cancellationToken);
            if (created.Status == StoreWriteStatus.DuplicateId)
            {
                await clients.UpdateAsync(declared.ClientId, Declared, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
