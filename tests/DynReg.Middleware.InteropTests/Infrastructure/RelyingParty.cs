using System.Net;
using DynReg.Middleware.Testing.Https;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.InteropTests.Infrastructure;

/// <summary>
/// A relying-party web app on Kestrel (https://127.0.0.1:{free port}/, the test certificate)
/// signing its users in through the provider with ASP.NET Core's own OpenID Connect handler:
/// a client registered dynamically for its <c>/signin-oidc</c>, code flow with PKCE.
/// <c>GET /protected</c> needs a signed-in user and answers the user's claims and saved tokens.
/// </summary>
public sealed class RelyingParty : IAsyncDisposable
{
    public const string CallbackPath = "/signin-oidc";

    private readonly WebApplication _app;

    private RelyingParty(WebApplication app, Uri baseAddress, string clientId)
    {
        _app = app;
        BaseAddress = baseAddress;
        ClientId = clientId;
    }

    public Uri BaseAddress { get; }

    public string ClientId { get; }

    public Uri RedirectUri => new(BaseAddress, CallbackPath);

    public static async Task<RelyingParty> StartAsync(KestrelProvider provider, string responseMode)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPorts.Free();
            var baseAddress = LoopbackPorts.HttpsOrigin(port);

            // Registered over HTTP as any partner would (open registration), for this app's callback.
            var (clientId, clientSecret) = await provider.RegisterAsync("Interop Relying Party", new Uri(baseAddress, CallbackPath).AbsoluteUri);

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
            builder.Logging.ClearProviders();
            builder.WebHost.ListenOnLoopbackHttps(TestCertificate.Shared, port);
            builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
            builder.Services.AddAuthorization();
            builder.Services
                .AddAuthentication(o =>
                {
                    o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                    o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
                })
                .AddCookie()
                .AddOpenIdConnect(o =>
                {
                    o.Authority = provider.Authority;
                    o.RequireHttpsMetadata = true;
                    o.BackchannelHttpHandler = KestrelProvider.Handler();
                    o.ClientId = clientId;
                    o.ClientSecret = clientSecret;
                    o.ResponseType = "code";
                    o.ResponseMode = responseMode;
                    o.UsePkce = true;
                    o.Scope.Clear();
                    o.Scope.Add("openid");
                    o.Scope.Add("profile");
                    o.Scope.Add("email");
                    o.SaveTokens = true;
                    o.GetClaimsFromUserInfoEndpoint = true;
                    o.MapInboundClaims = false; // keep "sub" and "email" as the provider names them
                    o.CallbackPath = CallbackPath;
                });

            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/protected", async context => await context.Response.WriteAsJsonAsync(new
            {
                claims = context.User.Claims.Select(c => new[] { c.Type, c.Value }).ToArray(),
                access_token = await context.GetTokenAsync("access_token"),
                id_token = await context.GetTokenAsync("id_token"),
            })).RequireAuthorization();

            try
            {
                await app.StartAsync();
                return new RelyingParty(app, baseAddress, clientId);
            }
            catch (IOException) when (attempt < 3)
            {
                await app.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
