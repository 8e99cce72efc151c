using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Login;

/// <summary>The session cookie: HttpOnly, Secure, SameSite=Lax; never redirects anywhere on its own.</summary>
internal sealed class ConfigureSessionCookie(IOptions<DynamicRegistrationOptions> options) : IConfigureNamedOptions<CookieAuthenticationOptions>
{
    public void Configure(string? name, CookieAuthenticationOptions cookie)
    {
        if (name != Session.Scheme)
        {
            return;
        }

        cookie.Cookie.Name = Session.CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.IsEssential = true;
        cookie.ExpireTimeSpan = options.Value.SessionLifetime;
        cookie.SlidingExpiration = false;
        cookie.Events.OnRedirectToLogin = static context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        };
        cookie.Events.OnRedirectToAccessDenied = static context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }

    public void Configure(CookieAuthenticationOptions options) => Configure(Options.DefaultName, options);
}
