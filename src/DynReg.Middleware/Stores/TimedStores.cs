using System.Diagnostics;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DynReg.Middleware.Stores;

/// <summary>
/// Times every store call into <see cref="DynamicRegistrationMetrics.StoreDuration"/>: the outermost
/// link of each composed store (<see cref="StoreComposition"/>), so a cache in front of a store is
/// measured as the endpoints see it.
/// </summary>
internal static class TimedStores
{
    /// <summary>Wraps <paramref name="store"/>, a <paramref name="service"/>, in its timing decorator.</summary>
    public static object Wrap(IServiceProvider services, Type service, object store)
    {
        var metrics = services.GetRequiredService<DynRegMetrics>();
        return store switch
        {
            IClientStore clients when service == typeof(IClientStore) => new TimedClientStore(clients, metrics),
            IConnectionStore connections when service == typeof(IConnectionStore) => new TimedConnectionStore(connections, metrics),
            ITenantSettingsStore settings when service == typeof(ITenantSettingsStore) => new TimedTenantSettingsStore(settings, metrics),
            _ => store,
        };
    }

    /// <summary>The store a timing decorator wraps (for tests that check which store is registered).</summary>
    internal static object Undecorated(object store) => store switch
    {
        TimedClientStore timed => timed.Inner,
        TimedConnectionStore timed => timed.Inner,
        TimedTenantSettingsStore timed => timed.Inner,
        _ => store,
    };

    private static async Task<T> Time<T>(DynRegMetrics metrics, string store, string operation, Func<Task<T>> call)
    {
        var start = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            var result = await call();
            failed = false;
            return result;
        }
        finally
        {
            metrics.StoreCall(store, operation, start, failed);
        }
    }

    private sealed class TimedClientStore(IClientStore inner, DynRegMetrics metrics) : IClientStore
    {
        private const string Store = "client";

        public IClientStore Inner => inner;

        public Task<StoreWriteResult<Client>> CreateAsync(Client client, CancellationToken cancellationToken)
            => Time(metrics, Store, "create", () => inner.CreateAsync(client, cancellationToken));

        public Task<Client?> FindByIdAsync(string clientId, CancellationToken cancellationToken)
            => Time(metrics, Store, "find", () => inner.FindByIdAsync(clientId, cancellationToken));

        public Task<StorePage<Client>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
            => Time(metrics, Store, "list", () => inner.ListAsync(page, perPage, cancellationToken));

        public Task<StoreWriteResult<Client>> UpdateAsync(string clientId, Func<Client, Client> update, CancellationToken cancellationToken)
            => Time(metrics, Store, "update", () => inner.UpdateAsync(clientId, update, cancellationToken));

        public Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken)
            => Time(metrics, Store, "delete", () => inner.DeleteAsync(clientId, cancellationToken));

        public Task<int> CountDynamicClientsAsync(CancellationToken cancellationToken)
            => Time(metrics, Store, "count", () => inner.CountDynamicClientsAsync(cancellationToken));
    }

    private sealed class TimedConnectionStore(IConnectionStore inner, DynRegMetrics metrics) : IConnectionStore
    {
        private const string Store = "connection";

        public IConnectionStore Inner => inner;
        public Task<StoreWriteResult<Connection>> CreateAsync(Connection connection, CancellationToken cancellationToken)
            => Time(metrics, Store, "create", () => inner.CreateAsync(connection, cancellationToken));

        public Task<Connection?> FindByIdAsync(string id, CancellationToken cancellationToken)
            => Time(metrics, Store, "find", () => inner.FindByIdAsync(id, cancellationToken));

        public Task<Connection?> FindByNameAsync(string name, CancellationToken cancellationToken)
            => Time(metrics, Store, "find_by_name", () => inner.FindByNameAsync(name, cancellationToken));

        public Task<StorePage<Connection>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
            => Time(metrics, Store, "list", () => inner.ListAsync(page, perPage, cancellationToken));

        public Task<StoreWriteResult<Connection>> UpdateAsync(string id, Func<Connection, Connection> update, CancellationToken cancellationToken)
            => Time(metrics, Store, "update", () => inner.UpdateAsync(id, update, cancellationToken));

        public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
            => Time(metrics, Store, "delete", () => inner.DeleteAsync(id, cancellationToken));
    }

    private sealed class TimedTenantSettingsStore(ITenantSettingsStore inner, DynRegMetrics metrics) : ITenantSettingsStore
    {
        private const string Store = "tenant_settings";

        public ITenantSettingsStore Inner => inner;
        public Task<TenantSettings> GetAsync(CancellationToken cancellationToken)
            => Time(metrics, Store, "get", () => inner.GetAsync(cancellationToken));

        public Task<TenantSettings> UpdateAsync(Func<TenantSettings, TenantSettings> update, CancellationToken cancellationToken)
            => Time(metrics, Store, "update", () => inner.UpdateAsync(update, cancellationToken));
    }
}
