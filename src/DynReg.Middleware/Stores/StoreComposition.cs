using DynReg.Middleware.Stores.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DynReg.Middleware.Stores;

/// <summary>
/// The store slots and what the builder chose for each: one implementation, then decorators
/// (innermost first). The chain <c>store → decorators → timing</c> is built once, when the store is
/// first resolved, so it does not depend on the order in which the host and store packages called
/// the builder: a host store chosen after a store package keeps that package's cache.
/// </summary>
internal sealed class StoreComposition
{
    private readonly Dictionary<Type, Slot> _slots = new()
    {
        [typeof(IClientStore)] = new(typeof(InMemoryClientStore), Timed: true),
        [typeof(IConnectionStore)] = new(typeof(InMemoryConnectionStore), Timed: true),
        [typeof(ITenantSettingsStore)] = new(typeof(InMemoryTenantSettingsStore), Timed: true),
        [typeof(IConsentStore)] = new(typeof(InMemoryConsentStore), Timed: false),
        [typeof(IProtocolStateStore)] = new(typeof(InMemoryProtocolStateStore), Timed: false),
    };

    // The in-memory stores answer from a dictionary: timing them would cost more than the call.
    private static readonly HashSet<Type> Untimed =
        [typeof(InMemoryClientStore), typeof(InMemoryConnectionStore), typeof(InMemoryTenantSettingsStore)];

    /// <summary>The composition recorded in <paramref name="services"/>; the first call registers the slots.</summary>
    public static StoreComposition Of(IServiceCollection services)
    {
        if (services.LastOrDefault(d => d.ServiceType == typeof(StoreComposition))?.ImplementationInstance is StoreComposition existing)
        {
            return existing;
        }

        var composition = new StoreComposition();
        services.AddSingleton(composition);
        services.TryAddSingleton<ComposedStores>();
        foreach (var service in composition._slots.Keys)
        {
            services.Replace(ServiceDescriptor.Singleton(service, sp => sp.GetRequiredService<ComposedStores>().Get(service)));
        }

        return composition;
    }

    public void Use(Type service, Type implementation) => SlotOf(service).Implementation = implementation;

    public void Decorate(Type service, Type decorator)
    {
        var slot = SlotOf(service);
        if (!slot.Decorators.Contains(decorator))
        {
            slot.Decorators.Add(decorator);
        }
    }

    /// <summary>The implementation chosen for <paramref name="service"/> (for tests and diagnostics).</summary>
    public Type ImplementationOf(Type service) => SlotOf(service).Implementation;

    private Slot SlotOf(Type service)
        => _slots.TryGetValue(service, out var slot)
            ? slot
            : throw new ArgumentException($"{service.Name} is not a store of DynReg.Middleware.", nameof(service));

    internal object Build(IServiceProvider services, Type service, List<object> created)
    {
        var slot = SlotOf(service);
        var store = ActivatorUtilities.CreateInstance(services, slot.Implementation);
        foreach (var decorator in slot.Decorators)
        {
            created.Add(store);
            store = ActivatorUtilities.CreateInstance(services, decorator, store);
        }

        if (slot.Timed && !Untimed.Contains(slot.Implementation))
        {
            created.Add(store);
            store = TimedStores.Wrap(services, service, store);
        }

        return store;
    }

    private sealed class Slot(Type implementation, bool Timed)
    {
        public Type Implementation { get; set; } = implementation;

        public bool Timed { get; } = Timed;

        public List<Type> Decorators { get; } = [];
    }
}

/// <summary>
/// The composed stores, built once per service provider. Owns what it built inside each chain (the
/// container disposes only the outermost object it was handed), so inner stores and caches are
/// disposed with the host.
/// </summary>
internal sealed class ComposedStores(StoreComposition composition, IServiceProvider services) : IAsyncDisposable
{
    private readonly Dictionary<Type, object> _built = [];
    private readonly List<object> _inner = [];

    public object Get(Type service)
    {
        lock (_built)
        {
            if (!_built.TryGetValue(service, out var store))
            {
                store = composition.Build(services, service, _inner);
                _built[service] = store;
            }

            return store;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var inner in _inner)
        {
            switch (inner)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}
