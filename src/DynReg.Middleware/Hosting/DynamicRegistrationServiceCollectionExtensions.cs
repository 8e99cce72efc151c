using DynReg.Middleware;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Registration;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.InMemory;
using DynReg.Middleware.Tokens;
using DynReg.Middleware.Discovery;
using DynReg.Middleware.Management;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using DynReg.Middleware.Authorization;
using DynReg.Middleware.Login;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Dashboard;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the OpenID provider with Dynamic Client Registration to a host's services.</summary>
public static class DynamicRegistrationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the provider's services with in-memory stores as the default. Leaves the
    /// host's global setup (default authentication scheme, JSON options, CORS) untouched.
    /// Map the endpoints with <c>app.MapDynamicRegistration()</c>.
    /// </summary>
    public static DynamicRegistrationBuilder AddDynamicClientRegistration(
        this IServiceCollection services,
        Action<DynamicRegistrationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var optionsBuilder = services.AddOptions<DynamicRegistrationOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DynamicRegistrationOptions>, DynamicRegistrationOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);

        // IMeterFactory for the package's meter (TryAdd inside: the host's own stays).
        services.AddMetrics();
        services.TryAddSingleton<DynRegMetrics>();

        // The store slots (in-memory by default); the builder and store packages choose in them.
        StoreComposition.Of(services);

        // The keys are loaded by a start-up step (a store's shared key needs I/O), never while options are built.
        services.TryAddSingleton<SigningKeyStartup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SigningKeyStartup>(static sp => sp.GetRequiredService<SigningKeyStartup>()));
        services.TryAddSingleton(static sp => sp.GetRequiredService<SigningKeyStartup>().Ring);
        services.TryAddSingleton<JwksBody>();
        services.TryAddSingleton<RegistrationHandler>();
        services.TryAddSingleton<RegistrationRateLimiter>();
        services.TryAddSingleton<ApiRegistry>();
        services.TryAddSingleton<AccessTokenIssuer>();
        services.TryAddSingleton<ClientAuthenticator>();
        services.TryAddSingleton<TokenHandler>();
        services.TryAddSingleton<ClientUsage>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StaleClientCleanup>());

        // Every piece of short-lived state goes through IProtocolStateStore, behind typed repositories.
        services.TryAddSingleton<ProtocolStateRepository>();
        services.TryAddSingleton<LoginTransactions>();
        services.TryAddSingleton<LoginTickets>();
        services.TryAddSingleton<AuthorizationCodes>();
        services.TryAddSingleton<RefreshTokens>();
        services.TryAddSingleton<UserTokenResponses>();
        services.TryAddSingleton<AuthorizationCodeExchange>();
        services.TryAddSingleton<RefreshTokenExchange>();
        services.TryAddSingleton<ClientCredentialsExchange>();
        services.TryAddSingleton<AllowedConnections>();
        services.TryAddSingleton<UserTokenIssuer>();
        services.TryAddSingleton<AuthorizationResponder>();
        services.TryAddSingleton<AuthorizeHandler>();
        services.TryAddSingleton<LoginPageRenderer>();
        services.TryAddSingleton<LoginAttemptLimiter>();
        // LoginPageOptions.SignInsStartedPerIpPerMinute: a flood of /authorize from one address cannot
        // fill the protocol state with abandoned transactions.
        services.TryAddKeyedSingleton(AddressRateLimiter.SignInStarts, static (sp, _) => new AddressRateLimiter(
            sp.GetRequiredService<IOptions<DynamicRegistrationOptions>>().Value.LoginPage.SignInsStartedPerIpPerMinute, TimeSpan.FromMinutes(1)));

        // The rules of every change to settings, connections and clients: one set for /api/v2 and the dashboard.
        services.TryAddSingleton<TenantSettingsService>();
        services.TryAddSingleton<ConnectionService>();
        services.TryAddSingleton<ClientService>();

        // The dashboard's posts check anti-forgery tokens themselves; AddAntiforgery only adds
        // services (TryAdd), it changes no global behaviour.
        services.AddAntiforgery();
        services.TryAddSingleton<DashboardHandler>();

        // The sign-in session: its own named cookie scheme.
        services.AddAuthentication().AddCookie(Session.Scheme, static _ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<CookieAuthenticationOptions>, ConfigureSessionCookie>());

        // A named scheme only: the host's default scheme stays whatever the host chose.
        services.AddAuthentication().AddJwtBearer(ManagementAuthentication.Scheme, static _ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtBearerOptions>, ManagementAuthentication.ConfigureJwtBearer>());
        services.TryAddSingleton<DynamicRegistrationMarker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DynamicRegistrationStartup>());

        return new DynamicRegistrationBuilder(services);
    }
}
