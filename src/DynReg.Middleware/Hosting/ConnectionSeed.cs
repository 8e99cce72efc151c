using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Hosting;

/// <summary>Connections the host declares with <c>AddConnection</c>; created at start-up when no connection of that name exists.</summary>
internal sealed class ConnectionSeedOptions
{
    public List<Connection> Connections { get; } = [];
}
