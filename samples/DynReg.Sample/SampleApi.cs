// The host's own protected API, GET /api/appointments: bearer tokens issued by this very
// provider for the audience Sample:Api:Audience (default appointments:api) with the scope
// read:appointments, validated by JwtBearer against the package's own discovery and JWKS.
using Microsoft.AspNetCore.Authentication.JwtBearer;

internal static class SampleApi
{
    public const string Scheme = "SampleApi";
    public const string Scope = "read:appointments";
    private const string Policy = "SampleApi.read:appointments";

    public static void AddSampleApi(this WebApplicationBuilder builder, Uri issuer, string audience)
    {
        builder.Services.AddAuthentication().AddJwtBearer(Scheme, options =>
        {
            options.Authority = issuer.AbsoluteUri;
            options.Audience = audience;
            options.MapInboundClaims = false;
            options.TokenValidationParameters.NameClaimType = "sub";

            // Metadata comes from {issuer}.well-known/openid-configuration, i.e. from this app
            // over loopback in Development; plain http only for an http loopback issuer.
            options.RequireHttpsMetadata = !SampleHttps.IsHttpLoopback(issuer);
            options.BackchannelHttpHandler = SampleHttps.SelfBackchannel(issuer, builder.Configuration, builder.Environment);
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.FindFirst("scope")?.Value.Split(' ').Contains(Scope) == true));
    }

    public static void MapSampleApi(this WebApplication app)
    {
        app.MapGet("/api/appointments", (HttpContext context) =>
        {
            var today = DateTime.UtcNow.Date;
            return Results.Json(new
            {
                sub = context.User.FindFirst("sub")?.Value,
                appointments = new[]
                {
                    new { id = "apt_1", title = "Dental check-up", starts_at = today.AddDays(1).AddHours(9) },
                    new { id = "apt_2", title = "Physiotherapy", starts_at = today.AddDays(3).AddHours(14).AddMinutes(30) },
                    new { id = "apt_3", title = "Eye test", starts_at = today.AddDays(8).AddHours(11) },
                },
            });
        }).RequireAuthorization(Policy);
    }
}
