// The demo host: an ordinary ASP.NET Core app that becomes an OpenID provider with
// Auth0-style Dynamic Client Registration. Its settings are listed in the README.
using DynReg.Middleware;
using DynReg.Middleware.Management;

var builder = WebApplication.CreateBuilder(args);
SampleHttps.FallBackToHttpWithoutCertificate(builder);
var configuration = builder.Configuration;
var isDevelopment = builder.Environment.IsDevelopment();

// DynReg:Issuer, else (Development) the first URL the app listens on.
var issuer = configuration["DynReg:Issuer"] ?? (isDevelopment ? DefaultIssuer(configuration) : null);
var issuerUri = issuer is null ? null : new Uri(issuer.EndsWith('/') ? issuer : issuer + "/");

const string SampleConnection = "Username-Password-Authentication";
var apiAudience = configuration["Sample:Api:Audience"] ?? "appointments:api";

var dynReg = builder.Services.AddDynamicClientRegistration(options =>
{
    // Every DynamicRegistrationOptions member can come from configuration under "DynReg".
    configuration.GetSection("DynReg").Bind(options);
    options.Issuer = issuerUri;
})
    // Seeded as a non-domain connection, and the flag starts off: the walkthrough turns both on.
    .AddConnection(SampleConnection, strategy: "auth0")
    .AddApi(apiAudience, SampleApi.Scope);
dynReg.AddSampleUsers(configuration, SampleConnection);

// The sample's MCP server (SampleMcp.cs) is an API of its own: its URL is the audience of its tokens.
if (issuerUri is not null)
{
    dynReg.AddApi(SampleMcp.Url(issuerUri), SampleMcp.Scope);
}

// The machine-to-machine client that calls the Management API (Auth0: "API Explorer Application").
var managementClientId = configuration["Sample:ManagementClient:ClientId"] ?? (isDevelopment ? "sample-management-client" : null);
var managementClientSecret = configuration["Sample:ManagementClient:ClientSecret"] ?? (isDevelopment ? "sample-management-secret-change-me" : null);
if (issuerUri is not null && managementClientId is not null && managementClientSecret is not null)
{
    dynReg.AddMachineToMachineClient(managementClientId, managementClientSecret, ManagementApi.Audience(issuerUri), [.. ManagementApi.AllScopes]);
}

if (configuration["DynReg:SigningKeyPath"] is { Length: > 0 } keyPath)
{
    dynReg.AddSigningKeyFromPemFile(keyPath);
}
else if (isDevelopment)
{
    dynReg.AddDevelopmentSigningKey(configuration["Sample:DevelopmentKeyPath"]
        ?? Path.Combine(builder.Environment.ContentRootPath, "obj", "dynreg-development-signing-key.pem"));
}

// Durable by default: the state lives in a SQLite file under the content root (ConnectionStrings:DynReg
// overrides it), so a restart keeps every client, connection, consent and the signing key. Set
// ConnectionStrings:Postgres for PostgreSQL instead (production, several instances on one database).
// The sample applies the package's migrations at start in every environment, so the first
// `dotnet run` needs nothing installed; a production host would rather apply them when deploying.
// Several instances behind a load balancer also act as one when they share a Redis: set
// ConnectionStrings:Redis (for example "localhost:6379"); then every store is in Redis.
if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
{
    dynReg.AddRedisStores(options => options.Configuration = redis);
}
else if (configuration.GetConnectionString("Postgres") is { Length: > 0 } postgres)
{
    dynReg.AddPostgreSqlStores(postgres, options => options.ApplyMigrationsAtStartup = true);
}
else
{
    var sqlite = configuration.GetConnectionString("DynReg")
        ?? $"Data Source={Path.Combine(builder.Environment.ContentRootPath, "dynreg.db")}";
    dynReg.AddSqliteStores(sqlite, options => options.ApplyMigrationsAtStartup = true);
}

// The host's protected API, its MCP server and the demo page (SampleApi.cs, SampleMcp.cs, DemoPage.cs).
if (issuerUri is not null)
{
    builder.AddSampleApi(issuerUri, apiAudience);
    builder.AddSampleMcp(issuerUri);
    builder.AddDemoPage(issuerUri);
}

// --- Dashboard (issue 9): the sample's own admin sign-in (cookie "SampleAdmin", policy "DynRegAdmin",
// Sample:Admin:User / Sample:Admin:Password) in SampleAdminLogin.cs; the package has no login of its own.
var hasAdminLogin = SampleAdminLogin.Add(builder);
// --- end Dashboard

var app = builder.Build();

app.MapGet("/", () => Results.Text(
    "DynReg.Sample: an OpenID provider with Dynamic Client Registration. Open /demo for the demo page; see /.well-known/openid-configuration and the README.",
    "text/plain"));
app.MapDynamicRegistration();
if (issuerUri is not null)
{
    app.MapSampleApi();
    app.MapSampleMcp();
    app.MapDemoPage(new DemoPage.Settings(issuerUri, SampleConnection, apiAudience, managementClientId, managementClientSecret));
}

// --- Dashboard: /admin/login, then the dashboard at /dynreg/admin behind the policy.
if (hasAdminLogin)
{
    SampleAdminLogin.Map(app);
    app.MapDynamicRegistrationDashboard(SampleAdminLogin.Policy);
}
// --- end Dashboard

SampleHttps.Run(app);

// The first URL of --urls / ASPNETCORE_URLS, with a wildcard host made concrete.
static string? DefaultIssuer(IConfiguration configuration)
{
    var urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "http://localhost:5000";
    var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
    return first?.Replace("://0.0.0.0", "://127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1");
}
