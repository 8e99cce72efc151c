using System.Diagnostics.Metrics;
using System.Net;
using DynReg.Middleware.IntegrationTests.SignIn;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace DynReg.Middleware.IntegrationTests.Abuse;

/// <summary>
/// The meter "DynReg.Middleware" counts what happened, by protocol word: registrations, refusals by
/// error code, tokens by grant type, sign-ins by result, and times store calls. Read back through
/// the host's own IMeterFactory with MetricCollector, as OpenTelemetry would read it.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Registrations_CreatedAndRefused_CountedByModeAndErrorCode()
    {
        await using var host = await TestHost.StartAsync(o => o.Registration.Limits.PermitsPerIpPerMinute = 3);
        using var registered = Collector<long>(host, DynamicRegistrationMetrics.Registrations);
        using var rejected = Collector<long>(host, DynamicRegistrationMetrics.RegistrationRejections);

        (await host.RegisterAsync("""{"redirect_uris":["https://app.example.com/cb"]}""")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await host.RegisterAsync("""{"redirect_uris":["javascript:alert(1)"]}""")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await host.RegisterAsync("""{"redirect_uris":"nope"}""")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await host.RegisterAsync("""{"redirect_uris":["https://app.example.com/cb"]}""")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        registered.GetMeasurementSnapshot().ShouldHaveSingleItem().Tags["security_mode"].ShouldBe("permissive");
        rejected.GetMeasurementSnapshot().Select(m => (string)m.Tags["error"]!)
            .ShouldBe(["invalid_redirect_uri", "invalid_redirect_uri", "too_many_requests"]);
    }

    [Fact]
    public async Task Registration_FlagOff_CountedAsAccessDenied()
    {
        await using var host = await TestHost.StartAsync(o => o.InitialTenantSettings.EnableDynamicClientRegistration = false);
        using var rejected = Collector<long>(host, DynamicRegistrationMetrics.RegistrationRejections);

        (await host.RegisterAsync("""{"redirect_uris":["https://app.example.com/cb"]}""")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        rejected.GetMeasurementSnapshot().ShouldHaveSingleItem().Tags["error"].ShouldBe("access_denied");
    }

    [Fact]
    public async Task Tokens_EveryGrant_CountedByGrantType()
    {
        await using var host = await SignInKit.StartAsync();
        using var tokens = Collector<long>(host, DynamicRegistrationMetrics.Tokens);
        var client = await SignInKit.RegisterAsync(host, $$"""{"redirect_uris":["{{SignInKit.RedirectUri}}"],"grant_types":["authorization_code","refresh_token"]}""");
        using var browser = host.NewBrowser();

        await host.GetManagementTokenAsync();
        var code = await SignInKit.GetCodeAsync(browser, SignInKit.Code(client.ClientId, scope: "openid offline_access"));
        var exchanged = await SignInKit.JsonAsync(await SignInKit.RedeemAsync(host, client, code), HttpStatusCode.OK);
        await SignInKit.JsonAsync(await SignInKit.RefreshAsync(host, client, exchanged.GetProperty("refresh_token").GetString()!), HttpStatusCode.OK);
        var implicitClient = await SignInKit.RegisterAsync(host);
        using var secondBrowser = host.NewBrowser();
        await SignInKit.SignInAsync(secondBrowser, SignInKit.Implicit(implicitClient.ClientId));
        (await SignInKit.RedeemAsync(host, client, "not-a-code")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        tokens.GetMeasurementSnapshot().Select(m => (string)m.Tags["grant_type"]!)
            .ShouldBe(["client_credentials", "authorization_code", "refresh_token", "implicit"]);
    }

    [Fact]
    public async Task SignIns_WrongPasswordThenRight_CountedByResult()
    {
        await using var host = await SignInKit.StartAsync();
        using var signIns = Collector<long>(host, DynamicRegistrationMetrics.SignIns);
        var client = await SignInKit.RegisterAsync(host);
        using var browser = host.NewBrowser();

        var config = await SignInKit.OpenLoginPageAsync(browser, SignInKit.Implicit(client.ClientId));
        (await browser.PostCredentialsAsync(config, SignInKit.Email, "wrong password")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await browser.PostCredentialsAsync(config, "nobody@example.com", "wrong password")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await browser.PostCredentialsAsync(config, SignInKit.Email, SignInKit.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);

        signIns.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!).ShouldBe(["invalid_credentials", "invalid_credentials", "success"]);
    }

    [Fact]
    public async Task SignIns_TooManyAttempts_CountedAsSuch()
    {
        await using var host = await SignInKit.StartAsync(configure: o => o.LoginPage.MaxFailedLogins = 1);
        using var signIns = Collector<long>(host, DynamicRegistrationMetrics.SignIns);
        var client = await SignInKit.RegisterAsync(host);
        using var browser = host.NewBrowser();
        var config = await SignInKit.OpenLoginPageAsync(browser, SignInKit.Implicit(client.ClientId));

        await browser.PostCredentialsAsync(config, SignInKit.Email, "wrong password");
        (await browser.PostCredentialsAsync(config, SignInKit.Email, SignInKit.Password)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        signIns.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!).ShouldBe(["invalid_credentials", "too_many_attempts"]);
    }

    [Fact]
    public async Task StoreDuration_Registration_TimesTheCallsItMade()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddClientStore<HostClientStore>());
        using var duration = Collector<double>(host, DynamicRegistrationMetrics.StoreDuration);

        (await host.RegisterAsync("""{"redirect_uris":["https://app.example.com/cb"]}""")).StatusCode.ShouldBe(HttpStatusCode.Created);

        // The tenant settings stay in memory: a dictionary read is not timed.
        var calls = duration.GetMeasurementSnapshot();
        calls.Select(m => $"{m.Tags["store"]}.{m.Tags["operation"]}").ShouldBe(["client.count", "client.create"]);
        calls.ShouldAllBe(m => m.Value >= 0 && m.Value < 60 && !m.Tags.ContainsKey("error.type"));
    }

    [Fact]
    public async Task StoreDuration_InMemoryStores_NotTimed()
    {
        await using var host = await TestHost.StartAsync();
        using var duration = Collector<double>(host, DynamicRegistrationMetrics.StoreDuration);

        (await host.RegisterAsync("""{"redirect_uris":["https://app.example.com/cb"]}""")).StatusCode.ShouldBe(HttpStatusCode.Created);

        duration.GetMeasurementSnapshot().ShouldBeEmpty();
    }

    [Fact]
    public async Task StoreDuration_HostsOwnStore_StillTimed()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddClientStore<HostClientStore>());
        using var duration = Collector<double>(host, DynamicRegistrationMetrics.StoreDuration);

        await host.Clients.FindByIdAsync("anything", CancellationToken.None);

        duration.GetMeasurementSnapshot().ShouldHaveSingleItem().Tags["operation"].ShouldBe("find");
        HostClientStore.Finds.ShouldBeGreaterThan(0);
    }

    private static MetricCollector<T> Collector<T>(TestHost host, string instrument) where T : struct
        => new(host.Services.GetRequiredService<IMeterFactory>(), DynamicRegistrationMetrics.MeterName, instrument);

    /// <summary>A host's own client store: the in-memory one under another name.</summary>
    private sealed class HostClientStore : Stores.IClientStore
    {
        private readonly Stores.InMemory.InMemoryClientStore _inner = new();

        public static int Finds { get; private set; }

        public Task<Stores.StoreWriteResult<Stores.Models.Client>> CreateAsync(Stores.Models.Client client, CancellationToken cancellationToken) => _inner.CreateAsync(client, cancellationToken);

        public Task<Stores.Models.Client?> FindByIdAsync(string clientId, CancellationToken cancellationToken)
        {
            Finds++;
            return _inner.FindByIdAsync(clientId, cancellationToken);
        }

        public Task<Stores.StorePage<Stores.Models.Client>> ListAsync(int page, int perPage, CancellationToken cancellationToken) => _inner.ListAsync(page, perPage, cancellationToken);

        public Task<Stores.StoreWriteResult<Stores.Models.Client>> UpdateAsync(string clientId, Func<Stores.Models.Client, Stores.Models.Client> update, CancellationToken cancellationToken) => _inner.UpdateAsync(clientId, update, cancellationToken);

        public Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken) => _inner.DeleteAsync(clientId, cancellationToken);
    }
}
