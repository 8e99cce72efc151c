using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Registration;
using DynReg.Middleware.Registration.Policies;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.InMemory;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Tokens;
using DynReg.Middleware.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DynReg.Middleware.Hosting;

/// <summary>
/// Returned by <c>AddDynamicClientRegistration()</c>: replaces stores, seeds connections and
/// adds signing keys. Every method returns the builder, so calls chain.
/// </summary>
public sealed class DynamicRegistrationBuilder
{
    internal DynamicRegistrationBuilder(IServiceCollection services) => Services = services;

    /// <summary>The host's services, for extensions such as <c>AddRedisStores</c>.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses the in-memory stores (the default when nothing else is added): tests, demos, one instance.</summary>
    public DynamicRegistrationBuilder AddInMemoryStores()
        => UseStore<IClientStore, InMemoryClientStore>()
            .UseStore<IConnectionStore, InMemoryConnectionStore>()
            .UseStore<ITenantSettingsStore, InMemoryTenantSettingsStore>();

    /// <summary>Uses the host's own client store (a singleton, built with its constructor's services).</summary>
    public DynamicRegistrationBuilder AddClientStore<TStore>() where TStore : class, IClientStore => UseStore<IClientStore, TStore>();

    /// <summary>Uses the host's own connection store (a singleton).</summary>
    public DynamicRegistrationBuilder AddConnectionStore<TStore>() where TStore : class, IConnectionStore => UseStore<IConnectionStore, TStore>();

    /// <summary>Uses the host's own tenant-settings store (a singleton).</summary>
    public DynamicRegistrationBuilder AddTenantSettingsStore<TStore>() where TStore : class, ITenantSettingsStore => UseStore<ITenantSettingsStore, TStore>();

    /// <summary>Uses the host's own consent store (a singleton).</summary>
    public DynamicRegistrationBuilder AddConsentStore<TStore>() where TStore : class, IConsentStore => UseStore<IConsentStore, TStore>();

    /// <summary>Uses the host's own store of short-lived protocol state: codes, refresh tokens, login transactions (a singleton).</summary>
    public DynamicRegistrationBuilder AddProtocolStateStore<TStore>() where TStore : class, IProtocolStateStore => UseStore<IProtocolStateStore, TStore>();

    /// <summary>
    /// Wraps whichever <typeparamref name="TStore"/> is chosen, now or later, in
    /// <typeparamref name="TDecorator"/> (a cache, say), whose constructor takes the inner store.
    /// Decorators apply in the order they were added, innermost first; the package's timing stays
    /// outermost. Store packages compose through this hook.
    /// </summary>
    /// <typeparam name="TStore">One of <see cref="IClientStore"/>, <see cref="IConnectionStore"/>,
    /// <see cref="ITenantSettingsStore"/>, <see cref="IConsentStore"/>, <see cref="IProtocolStateStore"/>.</typeparam>
    /// <typeparam name="TDecorator">The decorator.</typeparam>
    public DynamicRegistrationBuilder DecorateStore<TStore, TDecorator>() where TStore : class where TDecorator : class, TStore
    {
        StoreComposition.Of(Services).Decorate(typeof(TStore), typeof(TDecorator));
        return this;
    }

    private DynamicRegistrationBuilder UseStore<TStore, TImplementation>() where TImplementation : class, TStore
    {
        StoreComposition.Of(Services).Use(typeof(TStore), typeof(TImplementation));
        return this;
    }

    /// <summary>
    /// Declares a connection, created at start-up unless one of that name exists. Connections
    /// start as non-domain connections, as on Auth0: promote one with the Management API.
    /// </summary>
    public DynamicRegistrationBuilder AddConnection(string name, string strategy = "auth0", bool isDomainConnection = false, string? id = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(strategy);
        var connection = new Connection
        {
            Id = id ?? ConnectionIds.New(),
            Name = name,
            Strategy = strategy,
            IsDomainConnection = isDomainConnection,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        Services.Configure<ConnectionSeedOptions>(o => o.Connections.Add(connection));
        return this;
    }

    /// <summary>Declares an API (Auth0: resource server) clients may get access tokens for.</summary>
    public DynamicRegistrationBuilder AddApi(string identifier, params string[] scopes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identifier);
        Services.Configure<DynamicRegistrationOptions>(o => o.Apis.Add(new ApiResourceOptions { Identifier = identifier, Scopes = [.. scopes] }));
        return this;
    }

    /// <summary>Declares a first-party client; it is created (or brought in line with this declaration) at start-up.</summary>
    public DynamicRegistrationBuilder AddClient(FirstPartyClientOptions client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Services.Configure<DynamicRegistrationOptions>(o => o.Clients.Add(client));
        return this;
    }

    /// <summary>
    /// Declares a machine-to-machine client allowed <c>client_credentials</c> for one audience and
    /// its scopes. For the Management API, the audience is <c>{issuer}api/v2/</c>.
    /// </summary>
    public DynamicRegistrationBuilder AddMachineToMachineClient(string clientId, string clientSecret, string audience, params string[] scopes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientSecret);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        return AddClient(new FirstPartyClientOptions
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            Name = clientId,
            GrantTypes = [OAuthConstants.GrantTypes.ClientCredentials],
            Grants = [new ClientGrantOptions { Audience = audience, Scopes = [.. scopes] }],
        });
    }

    /// <summary>Adds a user authenticator for the connections of its strategy (a singleton).</summary>
    public DynamicRegistrationBuilder AddUserAuthenticator<TAuthenticator>() where TAuthenticator : class, IUserAuthenticator
    {
        Services.AddSingleton<IUserAuthenticator, TAuthenticator>();
        return this;
    }

    /// <summary>Adds users of database connections held in memory (passwords hashed), for samples and tests.</summary>
    public DynamicRegistrationBuilder AddInMemoryUsers(params InMemoryUser[] users)
    {
        Services.AddSingleton(new InMemoryUsersDeclaration(users));
        Services.TryAddSingleton(static sp => new InMemoryUserAuthenticator(sp.GetServices<InMemoryUsersDeclaration>().SelectMany(d => d.Users)));
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IUserAuthenticator, InMemoryUserAuthenticator>(static sp => sp.GetRequiredService<InMemoryUserAuthenticator>()));
        return this;
    }

    /// <summary>
    /// Adds a registration policy (a singleton), run on every registration after validation and
    /// before storing, in the order added; the first refusal wins.
    /// </summary>
    public DynamicRegistrationBuilder AddRegistrationPolicy<TPolicy>() where TPolicy : class, IRegistrationPolicy
    {
        Services.TryAddSingleton<TPolicy>();
        Services.AddSingleton<IRegistrationPolicy>(static sp => sp.GetRequiredService<TPolicy>());
        return this;
    }

    /// <summary>
    /// Registration only from trusted callers for URIs on trusted hosts (Keycloak's Trusted Hosts):
    /// exact names, <c>*.suffix</c>, IP addresses or CIDR ranges.
    /// </summary>
    public DynamicRegistrationBuilder AddTrustedHostsPolicy(Action<TrustedHostsPolicyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.AddOptions<TrustedHostsPolicyOptions>().Configure(configure)
            .Validate(static o => o.TrustedHosts.Count > 0, "TrustedHostsPolicyOptions.TrustedHosts must list at least one host, address or range.")
            .ValidateOnStart();
        return AddRegistrationPolicy<TrustedHostsRegistrationPolicy>();
    }

    /// <summary>
    /// Dynamic clients may register only these scopes (identity and API scopes alike); a client that
    /// sends no <c>scope</c> gets all of them. <c>/authorize</c> refuses any other scope to such clients.
    /// </summary>
    public DynamicRegistrationBuilder AddScopeAllowListPolicy(params string[] allowedScopes)
    {
        ArgumentNullException.ThrowIfNull(allowedScopes);
        Services.AddOptions<ScopeAllowListPolicyOptions>().Configure(o =>
        {
            foreach (var scope in allowedScopes)
            {
                o.AllowedScopes.Add(scope);
            }
        });
        return AddRegistrationPolicy<ScopeAllowListRegistrationPolicy>();
    }

    /// <summary>
    /// New dynamic clients are stored disabled until the tenant owner enables them
    /// (<c>PATCH /api/v2/clients/{id}</c> with <c>{"is_disabled": false}</c>).
    /// </summary>
    public DynamicRegistrationBuilder AddNewClientsDisabledPolicy()
        => AddRegistrationPolicy<DisabledUntilEnabledRegistrationPolicy>();

    /// <summary>Adds a claims hook for user tokens; only namespaced claims (<c>https://…</c>) are kept.</summary>
    public DynamicRegistrationBuilder AddClaimsContributor<TContributor>() where TContributor : class, ITokenClaimsContributor
    {
        Services.AddSingleton<ITokenClaimsContributor, TContributor>();
        return this;
    }

    /// <summary>Adds an RSA signing key (with its private part). The first key added signs; later ones are only published.</summary>
    public DynamicRegistrationBuilder AddSigningKey(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Services.Configure<DynamicRegistrationOptions>(o => o.SigningKeys.Keys.Add(key));
        return this;
    }

    /// <summary>Adds an RSA signing key from PEM text (PKCS#1 or PKCS#8).</summary>
    public DynamicRegistrationBuilder AddSigningKeyFromPem(string pem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pem);
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return AddSigningKey(rsa);
    }

    /// <summary>Adds an RSA signing key from a PEM file.</summary>
    public DynamicRegistrationBuilder AddSigningKeyFromPemFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return AddSigningKeyFromPem(File.ReadAllText(path));
    }

    /// <summary>Adds the RSA key of a certificate that carries its private key.</summary>
    public DynamicRegistrationBuilder AddSigningCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var rsa = certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("The certificate must carry an RSA private key.", nameof(certificate));
        return AddSigningKey(rsa);
    }

    /// <summary>
    /// Takes the signing keys from <typeparamref name="TSource"/> (a singleton) when the host added
    /// none: store packages use it to share one generated key among every instance. It is called
    /// once, by an asynchronous start-up step before the server accepts requests, and tried again
    /// while its store is unreachable (<see cref="SigningKeyOptions.SourceWaitTime"/>); the host
    /// fails to start with a message naming the source if it cannot load. A later call replaces the source.
    /// </summary>
    public DynamicRegistrationBuilder UseSigningKeySource<TSource>() where TSource : class, ISigningKeySource
    {
        Services.RemoveAll<ISigningKeySource>();
        Services.AddSingleton<ISigningKeySource, TSource>();
        return this;
    }

    /// <summary>
    /// Development only: signs with a key generated on first start and kept in
    /// <paramref name="path"/> (PEM, owner-only), so restarts keep it. Used when no other key is added.
    /// </summary>
    public DynamicRegistrationBuilder AddDevelopmentSigningKey(string path = "dynreg-development-signing-key.pem")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Services.Configure<DynamicRegistrationOptions>(o => o.SigningKeys.DevelopmentKeyPath = path);
        return this;
    }
}

/// <summary>Users declared by one <c>AddInMemoryUsers</c> call.</summary>
internal sealed record InMemoryUsersDeclaration(IReadOnlyList<InMemoryUser> Users);
