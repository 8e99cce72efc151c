using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;

namespace DynReg.Middleware.Testing.StoreContracts;

/// <summary>
/// Compares store records by value. Records hold lists and dictionaries, which records
/// compare by reference; a store that serialises (Redis) hands back new instances, so the
/// contract compares every member's JSON form instead.
/// </summary>
public static class StoreAssert
{
    public static void ShouldBeEquivalentTo<T>(this T? actual, T expected) where T : class
    {
        actual.ShouldNotBeNull();
        var actualJson = JsonSerializer.SerializeToNode(actual);
        var expectedJson = JsonSerializer.SerializeToNode(expected);
        JsonNode.DeepEquals(actualJson, expectedJson).ShouldBeTrue(
            $"expected {expectedJson?.ToJsonString()}{Environment.NewLine}but found {actualJson?.ToJsonString()}");
    }
}
