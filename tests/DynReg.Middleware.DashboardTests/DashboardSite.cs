using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Testing.Https;
using DynReg.Middleware.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.DashboardTests;

/// <summary>
/// A host as a tenant owner would run it, on Kestrel at https://127.0.0.1:{free port} with a
/// certificate made for the test: the package, the dashboard at /dynreg/admin behind the policy
/// "DynRegAdmin", and the host's own admin sign-in (cookie scheme, a form at /host/login). It starts
/// with the registration flag off and the database connection not a domain connection.
/// </summary>
public sealed class DashboardSite : IAsyncDisposable
{
    public const string AdminUser = "owner@example.com";
    public const string AdminPassword = "dashboard test password";
    public const string Connection = "Username-Password-Authentication";
    public const string Audience = "appointments:api";
    public const string DashboardPath = "/dynreg/admin";
    public const string LoginPath = "/host/login";

    private const string AdminScheme = "HostAdmin";

    // Generating RSA keys is slow; one signing key serves every test host.
    private static readonly RSA SigningKey = RSA.Create(2048);

    private readonly WebApplication _app;

    private DashboardSite(WebApplication app, X509Certificate2 certificate, Uri origin)
    {
        _app = app;
        Certificate = certificate;
        Origin = origin;
        // Trusts exactly the certificate made here.
        Http = new HttpClient(TestCertificate.Handler(certificate, allowAutoRedirect: false)) { BaseAddress = origin };
    }

    public Uri Origin { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary>A plain HTTP client of the site: what an application registering itself would use.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public ITenantSettingsStore TenantSettings => Services.GetRequiredService<ITenantSettingsStore>();

    public IClientStore Clients => Services.GetRequiredService<IClientStore>();

    public IConnectionStore Connections => Services.GetRequiredService<IConnectionStore>();

    public string RedirectUri => Origin + "app/callback";

    public static async Task<DashboardSite> StartAsync(bool registrationOn = false, bool domainConnection = false)
    {
        var certificate = TestCertificate.Create();
        var port = LoopbackPorts.Free();
        var origin = LoopbackPorts.HttpsOrigin(port);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.ListenOnLoopbackHttps(certificate, port);

        builder.Services.AddDynamicClientRegistration(o =>
        {
            o.Issuer = origin;
            o.InitialTenantSettings.EnableDynamicClientRegistration = registrationOn;

            // The test's client app lives on 127.0.0.1 too.
            o.Registration.AllowHttpLoopbackRedirectUrisForWebClients = true;
        })
            .AddSigningKey(SigningKey)
            .AddConnection(Connection, isDomainConnection: domainConnection)
            .AddApi(Audience, "read:appointments")
            .AddInMemoryUsers(new InMemoryUser(Connection, "jane@example.com", "correct horse battery staple", "Jane Doe"));

        // The host's own admin sign-in; the package knows only the policy's name.
        builder.Services.AddAuthentication().AddCookie(AdminScheme, o => o.LoginPath = LoginPath);
        builder.Services.AddAuthorization(o => o.AddPolicy("DynRegAdmin", p => p.AddAuthenticationSchemes(AdminScheme).RequireAuthenticatedUser()));

        var app = builder.Build();
        app.MapDynamicRegistration();
        app.MapDynamicRegistrationDashboard("DynRegAdmin");
        MapLogin(app);
        app.MapGet("/app/callback", () => Results.Content(
            "<!DOCTYPE html><html><head><title>callback</title></head><body><h1 id=\"callback\">callback</h1></body></html>", "text/html; charset=utf-8"));
        await app.StartAsync();
        return new DashboardSite(app, certificate, origin);
    }

    /// <summary>Registers a client over HTTP (RFC 7591); returns the answer's status and client_id.</summary>
    public async Task<(HttpStatusCode Status, string? ClientId)> RegisterAsync(string name)
    {
        using var response = await Http.PostAsJsonAsync("/oidc/register", new Dictionary<string, object>
        {
            ["client_name"] = name,
            ["redirect_uris"] = new[] { RedirectUri },
        });
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.TryGetProperty("client_id", out var id) ? id.GetString() : null);
    }

    /// <summary>The seed's implicit sign-in request of a dynamic client.</summary>
    public string AuthorizeUrl(string clientId)
        => Origin + "authorize?client_id=" + Uri.EscapeDataString(clientId)
            + "&response_type=" + Uri.EscapeDataString("id_token token")
            + "&redirect_uri=" + Uri.EscapeDataString(RedirectUri)
            + "&audience=" + Uri.EscapeDataString(Audience)
            + "&scope=openid&nonce=n-0S6_WzA2Mj&state=af0ifjsldkj";

    public string Url(string path) => new Uri(Origin, path).AbsoluteUri;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }

    private static void MapLogin(WebApplication app)
    {
        app.MapGet(LoginPath, (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            return Results.Content(
                "<!DOCTYPE html><html><head><title>Host sign-in</title></head><body><h1 id=\"host-login\">Host sign-in</h1>"
                + $"<form method=\"post\" action=\"{LoginPath}\"><input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">"
                + $"<input type=\"hidden\" name=\"returnUrl\" value=\"{WebUtility.HtmlEncode(returnUrl ?? DashboardPath)}\">"
                + "<input id=\"user\" name=\"user\"><input id=\"password\" name=\"password\" type=\"password\"><button id=\"sign-in\" type=\"submit\">Sign in</button></form></body></html>",
                "text/html; charset=utf-8");
        });
        app.MapPost(LoginPath, async (HttpContext context, IAntiforgery antiforgery) =>
        {
            await antiforgery.ValidateRequestAsync(context);
            var form = await context.Request.ReadFormAsync();
            if (form["user"] != AdminUser || form["password"] != AdminPassword)
            {
                return Results.Unauthorized();
            }

            await context.SignInAsync(AdminScheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, AdminUser)], AdminScheme)));
            var returnUrl = form["returnUrl"].ToString();
            return Results.Redirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") ? returnUrl : DashboardPath);
        }).DisableAntiforgery();
    }
}
