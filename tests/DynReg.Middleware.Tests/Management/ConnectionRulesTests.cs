using DynReg.Middleware.Management;
using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Tests.Management;

/// <summary>The connection rules, one line per rule (Auth0's connection schema).</summary>
public sealed class ConnectionRulesTests
{
    [Theory]
    [InlineData("Username-Password-Authentication", "auth0", 0, null)]
    [InlineData("a", "auth0", 1000, null)]
    [InlineData("", "auth0", 0, "name")]
    [InlineData("-leading-dash", "auth0", 0, "name")]
    [InlineData("trailing_", "auth0", 0, "name")]
    [InlineData("with space", "auth0", 0, "name")]
    [InlineData("Username-Password-Authentication", "", 0, "strategy")]
    [InlineData("Username-Password-Authentication", "auth0", 1001, "enabled_clients")]
    public void Validate_WholeConnection(string name, string strategy, int enabledClients, string? brokenMember)
    {
        var connection = new Connection
        {
            Id = "con_test",
            Name = name,
            Strategy = strategy,
            EnabledClients = [.. Enumerable.Range(0, enabledClients).Select(i => $"client-{i}")],
        };

        var problem = ConnectionRules.Validate(connection);

        if (brokenMember is null)
        {
            problem.ShouldBeNull();
        }
        else
        {
            problem.ShouldNotBeNull().ShouldStartWith(brokenMember);
        }
    }

    [Fact]
    public void Check_PatchWithoutEnabledClients_Fine()
        => ConnectionRules.Check(new ConnectionPatch(IsDomainConnection: true)).ShouldBeNull();
}
