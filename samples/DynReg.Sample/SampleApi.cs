// The host's own protected API, GET /api/appointments: bearer tokens issued by this very
// provider for the audience Sample:Api:Audience (default appointments:api) with the scope
// read:appointments, validated by JwtBearer against the package's own discovery and JWKS.
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

internal static class SampleApi
{
    public const string Scheme = "SampleApi";
    public const string Scope = "read:appointments";
    private const string Policy = "SampleApi.read:appointments";

    public static void AddSampleApi(this WebApplicationBuilder builder, Uri issuer, string audience)
    {
        builder.Services.AddAuthentication().AddJwtBearer(Scheme, options => ValidateTokensOf(options, issuer, audience, builder));
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => HasScope(context.User, Scope)));
    }

    public static void MapSampleApi(this WebApplication app)
    {
        app.MapGet("/api/appointments", (HttpContext context) => Results.Json(AppointmentsOf(context.User))).RequireAuthorization(Policy);
    }

    /// <summary>
    /// JwtBearer for tokens of this provider for <paramref name="audience"/>: the claims as issued
    /// (<c>sub</c>, <c>scope</c>), keys and metadata from the issuer's own discovery.
    /// </summary>
    public static void ValidateTokensOf(JwtBearerOptions options, Uri issuer, string audience, WebApplicationBuilder builder)
    {
        options.Authority = issuer.AbsoluteUri;
        options.Audience = audience;
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = "sub";

        // Metadata comes from {issuer}.well-known/openid-configuration, i.e. from this app
        // over loopback in Development; plain http only for an http loopback issuer.
        options.RequireHttpsMetadata = !SampleHttps.IsHttpLoopback(issuer);
        options.BackchannelHttpHandler = SampleHttps.SelfBackchannel(issuer, builder.Configuration, builder.Environment);
    }

    /// <summary>Whether the space-separated <c>scope</c> claim holds <paramref name="scope"/>.</summary>
    public static bool HasScope(ClaimsPrincipal user, string scope) => user.FindFirst("scope")?.Value.Split(' ').Contains(scope) == true;

    /// <summary>The demo data: the same three appointments for everyone, with the caller's <c>sub</c>.</summary>
    public static object AppointmentsOf(ClaimsPrincipal? user)
    {
        var today = DateTime.UtcNow.Date;
        return new
        {
            sub = user?.FindFirst("sub")?.Value,
            appointments = new[]
            {
                new { id = "apt_1", title = "Dental check-up", starts_at = today.AddDays(1).AddHours(9) },
                new { id = "apt_2", title = "Physiotherapy", starts_at = today.AddDays(3).AddHours(14).AddMinutes(30) },
                new { id = "apt_3", title = "Eye test", starts_at = today.AddDays(8).AddHours(11) },
            },
        };
    }
}
