using DynReg.Middleware.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// Runs once when the host starts: seeds declared connections (by name, so a restart or a
/// second instance adds nothing twice) and warns about development-only settings.
/// </summary>
internal sealed class DynamicRegistrationStartup(
    IConnectionStore connections,
    IOptions<ConnectionSeedOptions> seeds,
    IOptions<DynamicRegistrationOptions> options,
    ILogger<DynamicRegistrationStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Registration.AllowHttpLoopbackRedirectUrisForWebClients)
        {
            Log.HttpLoopbackRedirectUrisAllowed(logger);
        }

        if (options.Value.SigningKeys.Keys.Count == 0)
        {
            Log.DevelopmentSigningKeyInUse(logger);
        }

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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
