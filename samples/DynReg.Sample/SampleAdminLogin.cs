// The sample's own admin sign-in for the dashboard: one user from configuration, a cookie, a
// policy. The package never signs anyone in to its dashboard; a real host uses its own login.
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

internal static class SampleAdminLogin
{
    public const string Scheme = "SampleAdmin";
    public const string Policy = "DynRegAdmin";
    private const string LoginPath = "/admin/login";

    /// <summary>Adds the cookie scheme and the policy when an admin is configured (Development has defaults); false otherwise.</summary>
    public static bool Add(WebApplicationBuilder builder)
    {
        var isDevelopment = builder.Environment.IsDevelopment();
        var user = builder.Configuration["Sample:Admin:User"] ?? (isDevelopment ? "admin" : null);
        var password = builder.Configuration["Sample:Admin:Password"] ?? (isDevelopment ? "admin-password-change-me" : null);
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
        {
            return false;
        }

        builder.Services.AddSingleton(new AdminCredentials(user, password));
        builder.Services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.LoginPath = LoginPath;
            o.Cookie.Name = "sample.admin";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(1);
        });
        builder.Services.AddAuthorization(o => o.AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()));
        return true;
    }

    public static void Map(WebApplication app)
    {
        app.MapGet(LoginPath, (HttpContext context, IAntiforgery antiforgery, string? returnUrl) => Page(context, antiforgery, returnUrl, null));
        app.MapPost(LoginPath, async (HttpContext context, IAntiforgery antiforgery, AdminCredentials admin) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            var form = await context.Request.ReadFormAsync();
            var returnUrl = form["returnUrl"].ToString();
            if (!admin.Matches(form["user"].ToString(), form["password"].ToString()))
            {
                return Page(context, antiforgery, returnUrl, "Wrong user or password.");
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, admin.User)], Scheme);
            await context.SignInAsync(Scheme, new ClaimsPrincipal(identity));

            // Only a local path: never an open redirect.
            var local = returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\");
            return Results.Redirect(local ? returnUrl : "/dynreg/admin");
        }).DisableAntiforgery();
    }

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sample admin sign-in</title></head><body>"
            + "<h1>Sample admin sign-in</h1>" + (error is null ? "" : $"<p id=\"error\">{WebUtility.HtmlEncode(error)}</p>")
            + $"<form method=\"post\" action=\"{LoginPath}\">"
            + $"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{WebUtility.HtmlEncode(tokens.RequestToken)}\">"
            + $"<input type=\"hidden\" name=\"returnUrl\" value=\"{WebUtility.HtmlEncode(returnUrl ?? "")}\">"
            + "<p><label>User <input id=\"user\" name=\"user\" autocomplete=\"username\" required></label></p>"
            + "<p><label>Password <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p>"
            + "<button type=\"submit\" id=\"sign-in\">Sign in</button></form></body></html>";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'";
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, error is null ? 200 : 401);
    }

    internal sealed record AdminCredentials(string User, string Password)
    {
        // Compared as hashes in constant time: neither the length nor the first differing byte leaks.
        public bool Matches(string user, string password)
            => CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(user)), SHA256.HashData(Encoding.UTF8.GetBytes(User)))
                & CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(password)), SHA256.HashData(Encoding.UTF8.GetBytes(Password)));
    }
}
