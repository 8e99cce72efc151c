using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Shouldly;
using Xunit;

namespace DynReg.Middleware.Testing.StoreContracts;

/// <summary>
/// What every <see cref="ITenantSettingsStore"/> must do. Derive once per implementation and
/// return, from <see cref="CreateStoreAsync"/>, a fresh store that holds no settings yet and
/// starts from the given options.
/// </summary>
public abstract class TenantSettingsStoreContract
{
    protected static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A new store with nothing stored, not shared with any other test, configured with <paramref name="options"/>.</summary>
    protected abstract Task<ITenantSettingsStore> CreateStoreAsync(DynamicRegistrationOptions options);

    private static DynamicRegistrationOptions Options(bool flag = false, DynamicClientRegistrationSecurityMode mode = default, string? friendlyName = null)
    {
        var options = new DynamicRegistrationOptions { Issuer = new Uri("https://localhost/") };
        options.InitialTenantSettings.EnableDynamicClientRegistration = flag;
        options.InitialTenantSettings.SecurityMode = mode;
        options.InitialTenantSettings.FriendlyName = friendlyName;
        return options;
    }

    [Fact]
    public async Task Get_DefaultOptions_FlagOffPermissiveNoName()
    {
        var store = await CreateStoreAsync(new DynamicRegistrationOptions { Issuer = new Uri("https://localhost/") });

        var settings = await store.GetAsync(None);

        settings.Flags.EnableDynamicClientRegistration.ShouldBeFalse();
        settings.DynamicClientRegistrationSecurityMode.ShouldBe(DynamicClientRegistrationSecurityMode.Permissive);
        settings.FriendlyName.ShouldBeNull();
    }

    [Fact]
    public async Task Get_InitialValuesSet_ReturnsThem()
    {
        var store = await CreateStoreAsync(Options(flag: true, DynamicClientRegistrationSecurityMode.Strict, "Acme"));

        var settings = await store.GetAsync(None);

        settings.ShouldBeEquivalentTo(new TenantSettings
        {
            Flags = new TenantFlags { EnableDynamicClientRegistration = true },
            DynamicClientRegistrationSecurityMode = DynamicClientRegistrationSecurityMode.Strict,
            FriendlyName = "Acme",
        });
    }

    [Fact]
    public async Task Update_OneMember_ReturnsAndKeepsResultWithOtherMembersFromInitialValues()
    {
        var store = await CreateStoreAsync(Options(flag: true, DynamicClientRegistrationSecurityMode.Permissive, "Acme"));

        var updated = await store.UpdateAsync(s => s with { DynamicClientRegistrationSecurityMode = DynamicClientRegistrationSecurityMode.Strict }, None);

        var expected = new TenantSettings
        {
            Flags = new TenantFlags { EnableDynamicClientRegistration = true },
            DynamicClientRegistrationSecurityMode = DynamicClientRegistrationSecurityMode.Strict,
            FriendlyName = "Acme",
        };
        updated.ShouldBeEquivalentTo(expected);
        (await store.GetAsync(None)).ShouldBeEquivalentTo(expected);
    }

    [Fact]
    public async Task Update_FlagTurnedOnThenOff_GetFollows()
    {
        var store = await CreateStoreAsync(Options());

        await store.UpdateAsync(s => s with { Flags = s.Flags with { EnableDynamicClientRegistration = true } }, None);
        (await store.GetAsync(None)).Flags.EnableDynamicClientRegistration.ShouldBeTrue();

        await store.UpdateAsync(s => s with { Flags = s.Flags with { EnableDynamicClientRegistration = false } }, None);
        (await store.GetAsync(None)).Flags.EnableDynamicClientRegistration.ShouldBeFalse();
    }

    [Fact]
    public async Task Update_200InParallel_NoneLost()
    {
        var store = await CreateStoreAsync(Options(friendlyName: ""));
        var markers = Enumerable.Range(0, 200).Select(i => $"[{i}]").ToArray();

        await Race.AllAtOnceAsync(markers, marker => store.UpdateAsync(s => Race.Widen(s with { FriendlyName = s.FriendlyName + marker }), None));

        var name = (await store.GetAsync(None)).FriendlyName!;
        name.Length.ShouldBe(markers.Sum(m => m.Length));
        markers.ShouldAllBe(marker => name.Contains(marker));
    }

    [Fact]
    public async Task Update_OtherUpdateBetweenReadAndWrite_BothKept()
    {
        var store = await CreateStoreAsync(Options());
        var inner = Race.WriteInside<TenantSettings, TenantSettings>(
            s => s with { Flags = s.Flags with { EnableDynamicClientRegistration = true } },
            () => store.UpdateAsync(s => s with { DynamicClientRegistrationSecurityMode = DynamicClientRegistrationSecurityMode.Strict }, None));

        var outer = await store.UpdateAsync(inner.Change, None);
        await inner.OtherWrite;

        var expected = new TenantSettings
        {
            Flags = new TenantFlags { EnableDynamicClientRegistration = true },
            DynamicClientRegistrationSecurityMode = DynamicClientRegistrationSecurityMode.Strict,
        };
        (await store.GetAsync(None)).ShouldBeEquivalentTo(expected);
        outer.Flags.EnableDynamicClientRegistration.ShouldBeTrue();
    }
}
