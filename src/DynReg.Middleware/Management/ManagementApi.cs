namespace DynReg.Middleware.Management;

/// <summary>The Management API as an API of the tenant: its identifier and Auth0's scope names.</summary>
public static class ManagementApi
{
    /// <summary>The Management API's path prefix; its identifier (audience) is the issuer plus <c>api/v2/</c>.</summary>
    public const string PathPrefix = "/api/v2";

    public const string ReadTenantSettings = "read:tenant_settings";
    public const string UpdateTenantSettings = "update:tenant_settings";
    public const string ReadConnections = "read:connections";
    public const string CreateConnections = "create:connections";
    public const string UpdateConnections = "update:connections";
    public const string DeleteConnections = "delete:connections";
    public const string ReadClients = "read:clients";
    public const string UpdateClients = "update:clients";
    public const string DeleteClients = "delete:clients";
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
