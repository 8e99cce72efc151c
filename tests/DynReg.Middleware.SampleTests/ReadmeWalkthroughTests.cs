using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DynReg.Middleware.SampleTests;

/// <summary>The README's walkthrough, command by command, against the sample app started for the test.</summary>
public sealed class ReadmeWalkthroughTests
{
    // Values that differ on every run; every other documented member must match exactly.
    private static readonly HashSet<string> RunSpecificMembers = ["access_token", "client_id", "client_secret", "client_id_issued_at", "id"];

    [Fact]
    public async Task Walkthrough_EveryReadmeCommand_AnswersAsDocumented()
    {
        var steps = ReadmeStep.Load();
        steps.Count.ShouldBeGreaterThanOrEqualTo(6, "the README's walkthrough lost steps");

        await using var sample = await SampleProcess.StartAsync();
        var baseUrl = sample.BaseAddress.AbsoluteUri.TrimEnd('/');
        using var client = new HttpClient();
        var placeholders = new Dictionary<string, string>();

        foreach (var step in steps)
        {
            string Resolve(string text)
            {
                text = text.Replace(ReadmeStep.DocumentedBaseUrl, baseUrl);
                foreach (var (name, value) in placeholders)
                {
                    text = text.Replace(name, value);
                }

                return text;
            }

            using var request = new HttpRequestMessage(new HttpMethod(step.Method), Resolve(step.Url));
            foreach (var (name, value) in step.Headers)
            {
                if (!name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.TryAddWithoutValidation(name, Resolve(value));
                }
            }

            if (step.Body is not null)
            {
                request.Content = new StringContent(Resolve(step.Body), Encoding.UTF8, step.Headers["content-type"]);
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).ShouldBe(step.ExpectedStatus, $"{step.Method} {step.Url} answered {text}");

            var actual = JsonNode.Parse(text)!;
            var expected = JsonNode.Parse(Resolve(step.ExpectedJson))!;
            AssertMatches(expected, actual, $"{step.Method} {step.Url}");

            // What later commands refer to: API2_ACCESS_TOKEN and CONNECTION_ID.
            if (actual is JsonObject { } answer && answer["access_token"] is { } token)
            {
                placeholders["API2_ACCESS_TOKEN"] = token.GetValue<string>();
            }

            if (actual is JsonArray { Count: > 0 } list && list[0]?["id"] is { } id)
            {
                placeholders["CONNECTION_ID"] = id.GetValue<string>();
            }
        }
    }

    private static void AssertMatches(JsonNode expected, JsonNode actual, string where)
    {
        switch (expected)
        {
            case JsonObject expectedObject:
                var actualObject = actual.ShouldBeOfType<JsonObject>(where);
                actualObject.Select(p => p.Key).Order().ShouldBe(expectedObject.Select(p => p.Key).Order(), $"{where}: members");
                foreach (var (name, value) in expectedObject)
                {
                    if (!RunSpecificMembers.Contains(name))
                    {
                        AssertMatches(value!, actualObject[name]!, $"{where}.{name}");
                    }
                }

                break;
            case JsonArray expectedArray:
                var actualArray = actual.ShouldBeOfType<JsonArray>(where);
                actualArray.Count.ShouldBe(expectedArray.Count, where);
                for (var i = 0; i < expectedArray.Count; i++)
                {
                    AssertMatches(expectedArray[i]!, actualArray[i]!, $"{where}[{i}]");
                }

                break;
            default:
                actual.ToJsonString().ShouldBe(expected.ToJsonString(), where);
                break;
        }
    }
}
