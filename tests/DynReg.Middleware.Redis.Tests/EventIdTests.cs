using System.Reflection;
using DynReg.Middleware.Hosting;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>Log event ids across the core and the Redis package: each used once, each in its class's range.</summary>
public sealed class EventIdTests
{
    private static readonly Assembly[] Packages = [typeof(DynamicRegistrationBuilder).Assembly, typeof(RedisStoreOptions).Assembly];

    private static (string Owner, string Method, int Id)[] AllLogMessages() =>
        Packages.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Select(m => (Type: t, Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>())))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Type.FullName!, x.Method.Name, x.Attribute!.EventId))
            .ToArray();

    [Fact]
    public void EventIds_BothPackages_EachUsedOnce()
    {
        var messages = AllLogMessages();
        messages.Length.ShouldBeGreaterThan(30);

        var reused = messages.GroupBy(m => m.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Owner + "." + m.Method))}").ToArray();

        reused.ShouldBeEmpty();
    }

    [Fact]
    public void EventIds_BothPackages_EachInTheRangeOfItsClass()
    {
        var outside = AllLogMessages()
            .Where(m => EventIds.Ranges.SingleOrDefault(r => r.Owner == m.Owner) is not { } range || m.Id < range.First || m.Id > range.Last)
            .Select(m => $"{m.Owner}.{m.Method}: {m.Id}").ToArray();

        outside.ShouldBeEmpty();
    }

    [Fact]
    public void EventIdRanges_Table_DoNotOverlap()
    {
        var ranges = EventIds.Ranges.OrderBy(r => r.First).ToArray();

        ranges.Zip(ranges.Skip(1)).Where(p => p.First.Last >= p.Second.First).ShouldBeEmpty();
    }
}
