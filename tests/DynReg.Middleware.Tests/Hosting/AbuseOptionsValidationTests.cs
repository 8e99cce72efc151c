using DynReg.Middleware.Registration;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Tests.Hosting;

/// <summary>The abuse limits fail the start with a message naming the setting, and the per-address partition is what the README says.</summary>
public sealed class AbuseOptionsValidationTests
{
    [Theory]
    [InlineData("PermitsPerIpPerMinute")]
    [InlineData("TenantPermitsPerSecond")]
    [InlineData("MaxDynamicClients")]
    [InlineData("SignInsStartedPerIpPerMinute")]
    [InlineData("MaxQueryStringLength")]
    public async Task Start_NegativeLimit_FailsNamingTheSetting(string setting)
    {
        var exception = await Should.ThrowAsync<OptionsValidationException>(() => BareHost.StartAsync(
            o =>
            {
                o.Issuer = new Uri("https://login.example.com/");
                switch (setting)
                {
                    case "PermitsPerIpPerMinute": o.Registration.Limits.PermitsPerIpPerMinute = -1; break;
                    case "TenantPermitsPerSecond": o.Registration.Limits.TenantPermitsPerSecond = -1; break;
                    case "MaxDynamicClients": o.Registration.Limits.MaxDynamicClients = -1; break;
                    case "SignInsStartedPerIpPerMinute": o.LoginPage.SignInsStartedPerIpPerMinute = -1; break;
                    default: o.MaxQueryStringLength = 10; break;
                }
            },
            b => b.AddSigningKey(TestHost.SigningKey)));

        exception.Message.ShouldContain("." + setting);
    }

    [Theory]
    [InlineData(null, "-")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::ffff", "2001:db8:1:2::/64")]
    public void PartitionKey_Address_IPv4AsIsIPv6ByItsSlash64(string? address, string key)
        => Protocol.AddressRateLimiter.Partition(address is null ? null : System.Net.IPAddress.Parse(address)).ShouldBe(key);
}
