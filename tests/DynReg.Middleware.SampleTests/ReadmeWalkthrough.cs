using System.Text;
using System.Text.RegularExpressions;

namespace DynReg.Middleware.SampleTests;

/// <summary>
/// The curl commands the README marks with <c>&lt;!-- walkthrough --&gt;</c>, each with the
/// status and JSON answer printed under it. Parsed from the README itself, so the
/// document and the tests cannot drift apart.
/// </summary>
public sealed partial record ReadmeStep(string Method, string Url, IReadOnlyDictionary<string, string> Headers, string? Body, int ExpectedStatus, string ExpectedJson)
{
    /// <summary>The host every README command is written against.</summary>
    public const string DocumentedBaseUrl = "http://127.0.0.1:5000";

    public static IReadOnlyList<ReadmeStep> Load()
    {
        var readme = File.ReadAllText(Path.Combine(SampleProcess.RepositoryRoot(), "README.md"));
        var steps = new List<ReadmeStep>();
        foreach (Match match in StepPattern().Matches(readme))
        {
            var words = ShellWords(match.Groups["command"].Value.Replace("\\\n", " "));
            words[0].ShouldBe("curl");
            string method = "GET", url = string.Empty;
            string? body = null;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 1; i < words.Count; i++)
            {
                switch (words[i])
                {
                    case "--request": method = words[++i]; break;
                    case "--url": url = words[++i]; break;
                    case "--data": body = words[++i]; break;
                    case "--header":
                        var header = words[++i];
                        var colon = header.IndexOf(':');
                        headers[header[..colon].Trim()] = header[(colon + 1)..].Trim();
                        break;
                    default: throw new InvalidOperationException($"The README's walkthrough uses a curl option the test does not know: {words[i]}");
                }
            }

            steps.Add(new ReadmeStep(method, url, headers, body, int.Parse(match.Groups["status"].Value), match.Groups["json"].Value.Trim()));
        }

        return steps;
    }

    // Splits like a POSIX shell does for the quoting the README uses: single quotes and white space.
    private static List<string> ShellWords(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                var end = text.IndexOf('\'', i + 1);
                current.Append(text, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    [GeneratedRegex(@"<!-- walkthrough -->\s*```bash\n(?<command>.*?)```\s*Answer \(`(?<status>\d{3})`[^\n]*\n```json\n(?<json>.*?)```", RegexOptions.Singleline)]
    private static partial Regex StepPattern();
}
