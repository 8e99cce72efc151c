using System.Text.Json;
using DynReg.Middleware.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace DynReg.Middleware.Tests.Hosting;

/// <summary>SPEC §2 / STYLE habit 4: adding the package leaves the host's global setup alone.</summary>
public sealed class HostSetupTests
{
    private sealed record Probe(string SomeName, string? Missing);

    [Fact]
    public async Task AddDynamicClientRegistration_HostWithAuthentication_SetsNoDefaultScheme()
    {
        var builder = BareHost.CreateBuilder();
        builder.Services.AddAuthentication();
        builder.Services.AddDynamicClientRegistration(o => o.Issuer = TestHost.Issuer).AddSigningKey(TestHost.SigningKey);
        await using var app = builder.Build();

        var options = app.Services.GetRequiredService<IOptions<AuthenticationOptions>>().Value;
        options.DefaultScheme.ShouldBeNull();
        options.DefaultAuthenticateScheme.ShouldBeNull();
        options.DefaultChallengeScheme.ShouldBeNull();
        options.DefaultForbidScheme.ShouldBeNull();
        options.DefaultSignInScheme.ShouldBeNull();
        options.DefaultSignOutScheme.ShouldBeNull();

        // A scheme the package adds must not become the default by being the only one.
        var schemes = app.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        (await schemes.GetDefaultAuthenticateSchemeAsync()).ShouldBeNull();
        (await schemes.GetDefaultChallengeSchemeAsync()).ShouldBeNull();
    }

    [Fact]
    public async Task AddDynamicClientRegistration_HostJsonOptions_Unchanged()
    {
        var baseline = BareHost.CreateBuilder();
        var withPackage = BareHost.CreateBuilder();
        withPackage.Services.AddDynamicClientRegistration(o => o.Issuer = TestHost.Issuer).AddSigningKey(TestHost.SigningKey);

        await using var baselineApp = baseline.Build();
        await using var packageApp = withPackage.Build();

        ConfigurersOf<HttpJsonOptions>(withPackage.Services).ShouldBe(ConfigurersOf<HttpJsonOptions>(baseline.Services));
        var expected = baselineApp.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        var actual = packageApp.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        actual.PropertyNamingPolicy.ShouldBe(expected.PropertyNamingPolicy);
        actual.DefaultIgnoreCondition.ShouldBe(expected.DefaultIgnoreCondition);
        actual.Converters.Count.ShouldBe(expected.Converters.Count);
        actual.TypeInfoResolverChain.Count.ShouldBe(expected.TypeInfoResolverChain.Count);
        var probe = new Probe("value", null);
        JsonSerializer.Serialize(probe, actual).ShouldBe(JsonSerializer.Serialize(probe, expected));
    }

    private static int ConfigurersOf<TOptions>(IServiceCollection services) where TOptions : class
        => services.Count(d => d.ServiceType == typeof(IConfigureOptions<TOptions>) || d.ServiceType == typeof(IPostConfigureOptions<TOptions>));
}
