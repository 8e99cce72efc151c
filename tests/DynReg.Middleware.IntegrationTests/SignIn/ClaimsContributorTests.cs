using System.Net;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using static DynReg.Middleware.IntegrationTests.SignIn.SignInKit;

namespace DynReg.Middleware.IntegrationTests.SignIn;

/// <summary>The claims hook: namespaced custom claims are kept; plain names and standard claims are dropped (SPEC §1 item 6).</summary>
public sealed class ClaimsContributorTests
{
    private const string RoleClaim = "https://example.com/role";

    [Fact]
    public async Task Contributor_Implicit_NamespacedKeptOthersDropped()
    {
        await using var host = await StartAsync(build: b => b.AddClaimsContributor<RoleContributor>());
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();

        var fragment = Browser.ResponseParameters(await SignInAsync(browser, Implicit(client.ClientId)), fragment: true);

        ShouldCarryOnlyTheNamespacedClaim(Jwt(fragment["access_token"]), "access");
        ShouldCarryOnlyTheNamespacedClaim(Jwt(fragment["id_token"]), "id");
    }

    [Fact]
    public async Task Contributor_CodeFlow_NamespacedKeptOthersDropped()
    {
        await using var host = await StartAsync(build: b => b.AddClaimsContributor<RoleContributor>());
        var client = await RegisterAsync(host);
        using var browser = host.NewBrowser();
        var code = await GetCodeAsync(browser, Code(client.ClientId));

        using var response = await RedeemAsync(host, client, code);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        ShouldCarryOnlyTheNamespacedClaim(Jwt(body.GetProperty("access_token").GetString()!), "access");
        ShouldCarryOnlyTheNamespacedClaim(Jwt(body.GetProperty("id_token").GetString()!), "id");
    }

    private static void ShouldCarryOnlyTheNamespacedClaim(JsonWebToken token, string kind)
    {
        token.GetPayloadValue<string>(RoleClaim).ShouldBe("admin-" + kind);
        token.TryGetPayloadValue<string>("role", out _).ShouldBeFalse();
        token.Subject.ShouldStartWith("auth0|");
        token.Subject.ShouldNotBe("attacker");
        token.Claims.Count(c => c.Type == "sub").ShouldBe(1);
        token.TryGetPayloadValue<string>("email", out var email).ShouldBe(kind == "id");
        if (kind == "id")
        {
            email.ShouldBe(Email);
        }
    }

    private sealed class RoleContributor : ITokenClaimsContributor
    {
        public ValueTask ContributeAsync(TokenClaimsContext context, CancellationToken cancellationToken)
        {
            context.Claims[RoleClaim] = context.Kind == TokenKind.AccessToken ? "admin-access" : "admin-id";
            context.Claims["role"] = "admin";
            context.Claims["sub"] = "attacker";
            context.Claims["email"] = "attacker@example.com";
            return ValueTask.CompletedTask;
        }
    }
}
