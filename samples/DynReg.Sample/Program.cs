// The demo host: an ordinary ASP.NET Core app that becomes an OpenID provider with
// Auth0-style Dynamic Client Registration. Settings are in the README (SPEC §9).
var builder = WebApplication.CreateBuilder(args);

var dynReg = builder.Services.AddDynamicClientRegistration(options =>
{
    // DynReg:Issuer, else (Development) the first URL the app listens on.
    var issuer = builder.Configuration["DynReg:Issuer"] ?? DefaultIssuer(builder.Configuration);
    if (issuer is not null)
    {
        options.Issuer = new Uri(issuer.EndsWith('/') ? issuer : issuer + "/");
    }

    // DynReg:InitialTenantSettings:EnableDynamicClientRegistration and friends.
    builder.Configuration.GetSection("DynReg:InitialTenantSettings").Bind(options.InitialTenantSettings);
})
    .AddConnection("Username-Password-Authentication", strategy: "auth0");

if (builder.Configuration["DynReg:SigningKeyPath"] is { Length: > 0 } keyPath)
{
    dynReg.AddSigningKeyFromPemFile(keyPath);
}
else if (builder.Environment.IsDevelopment())
{
    dynReg.AddDevelopmentSigningKey(Path.Combine(builder.Environment.ContentRootPath, "obj", "dynreg-development-signing-key.pem"));
}

var app = builder.Build();

app.MapGet("/", () => Results.Text(
    "DynReg.Sample: an OpenID provider with Dynamic Client Registration. See /.well-known/openid-configuration.",
    "text/plain"));
app.MapDynamicRegistration();

app.Run();

// In Development the issuer defaults to the app's own first URL (--urls or ASPNETCORE_URLS).
static string? DefaultIssuer(IConfiguration configuration)
{
    var urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"];
    var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
    return first?.Replace("://0.0.0.0", "://127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1");
}
