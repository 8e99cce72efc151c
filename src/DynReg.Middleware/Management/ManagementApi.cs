namespace DynReg.Middleware.Management;

/// <summary>The Management API as an API of the tenant: its identifier and Auth0's scope names.</summary>
public static class ManagementApi
{
    /// <summary>The Management API's path prefix; its identifier (audience) is the issuer plus <c>api/v2/</c>.</summary>
    public const string PathPrefix = "/api/v2";

    /// <summary>Read tenant settings (<c>GET /api/v2/tenants/settings</c>).</summary>
    public const string ReadTenantSettings = "read:tenant_settings";
    /// <summary>Change tenant settings (<c>PATCH /api/v2/tenants/settings</c>).</summary>
    public const string UpdateTenantSettings = "update:tenant_settings";
    /// <summary>List and read connections.</summary>
    public const string ReadConnections = "read:connections";
    /// <summary>Create connections.</summary>
    public const string CreateConnections = "create:connections";
    /// <summary>Change connections, e.g. promote one to a domain connection.</summary>
    public const string UpdateConnections = "update:connections";
    /// <summary>Delete connections.</summary>
    public const string DeleteConnections = "delete:connections";
    /// <summary>List and read clients.</summary>
    public const string ReadClients = "read:clients";
    /// <summary>Change clients (name, callbacks, logo).</summary>
    public const string UpdateClients = "update:clients";
    /// <summary>Delete clients.</summary>
    public const string DeleteClients = "delete:clients";
    /// <summary>Rotate client secrets.</summary>
    public const string UpdateClientKeys = "update:client_keys";

    /// <summary>Every scope the Management API defines.</summary>
    public static IReadOnlyList<string> AllScopes { get; } =
    [
        ReadTenantSettings, UpdateTenantSettings,
        ReadConnections, CreateConnections, UpdateConnections, DeleteConnections,
        ReadClients, UpdateClients, DeleteClients, UpdateClientKeys,
    ];

    /// <summary><c>{issuer}api/v2/</c>, as on Auth0.</summary>
    public static string Audience(Uri issuer) => issuer.AbsoluteUri + "api/v2/";
}
