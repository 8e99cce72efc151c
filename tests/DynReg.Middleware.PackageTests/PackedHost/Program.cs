// The README's "Use it in your app", with the package from NuGet and nothing else.
using System.Security.Cryptography;

var builder = WebApplication.CreateBuilder(args);
var issuer = new Uri(builder.Configuration["DynReg:Issuer"] ?? "http://127.0.0.1:5000/");

builder.Services.AddDynamicClientRegistration(options =>
{
    options.Issuer = issuer;
    options.InitialTenantSettings.EnableDynamicClientRegistration = true;
})
    .AddSigningKey(RSA.Create(2048))
    .AddConnection("Username-Password-Authentication", isDomainConnection: true)
    .AddApi("appointments:api", "read:appointments");

var app = builder.Build();
app.MapDynamicRegistration();
app.Run();
