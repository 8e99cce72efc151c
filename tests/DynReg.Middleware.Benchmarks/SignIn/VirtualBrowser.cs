using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DynReg.Middleware.Benchmarks.SignIn;

/// <summary>
/// One user's browser for the load driver: its own cookies over a shared connection pool, no
/// automatic redirects, and just enough HTML reading for the built-in login page (the base64
/// config in <c>atob('…')</c>), the form that continues to <c>/login/callback</c> and the
/// consent page. The provider's cookies are <c>Secure</c>; browsers keep such cookies for
/// <c>http://127.0.0.1</c> and <c>http://localhost</c> (loopback is a secure context), so the
/// jar files them under the https form of the loopback URL.
/// </summary>
internal sealed partial class VirtualBrowser(HttpClient http)
{
    private readonly CookieContainer _cookies = new();

    public async Task<Answer> SendAsync(HttpMethod method, string url, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        var jarUri = JarUri(request.RequestUri!.IsAbsoluteUri ? request.RequestUri : new Uri(http.BaseAddress!, request.RequestUri));
        var cookieHeader = _cookies.GetCookieHeader(jarUri);
        if (cookieHeader.Length > 0)
        {
            request.Headers.Add("Cookie", cookieHeader);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                _cookies.SetCookies(jarUri, setCookie);
            }
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new Answer(response.StatusCode, response.Headers.Location, body);
    }

    public Task<Answer> GetAsync(string url, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, url, null, cancellationToken);

    /// <summary>The credential post of the built-in template (LOCK.md row 11): JSON with every internalOptions member.</summary>
    public Task<Answer> PostCredentialsAsync(string loginPage, string username, string password, CancellationToken cancellationToken)
    {
        var match = ConfigPattern().Match(loginPage);
        if (!match.Success)
        {
            throw new DriverException("no login config (atob) on the page: " + Excerpt(loginPage));
        }

        using var config = JsonDocument.Parse(Convert.FromBase64String(match.Groups[1].Value));
        var root = config.RootElement;
        var body = new Dictionary<string, object?>
        {
            ["client_id"] = root.GetProperty("clientID").GetString(),
            ["redirect_uri"] = root.GetProperty("callbackURL").GetString(),
            ["connection"] = root.GetProperty("connections")[0].GetString(),
            ["username"] = username,
            ["password"] = password,
        };
        foreach (var option in root.GetProperty("internalOptions").EnumerateObject())
        {
            body[option.Name] = option.Value.GetString();
        }

        return SendAsync(HttpMethod.Post, "/usernamepassword/login",
            new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"), cancellationToken);
    }

    /// <summary>Posts the first form of a page with its hidden fields (plus <paramref name="extra"/>), as the page's script or button would.</summary>
    public Task<Answer> SubmitFormAsync(string page, CancellationToken cancellationToken, params (string Name, string Value)[] extra)
    {
        var form = FormPattern().Match(page);
        if (!form.Success)
        {
            throw new DriverException("no form on the page: " + Excerpt(page));
        }

        var fields = new List<KeyValuePair<string, string>>();
        foreach (Match input in HiddenPattern().Matches(form.Groups["body"].Value))
        {
            fields.Add(new(WebUtility.HtmlDecode(input.Groups["name"].Value), WebUtility.HtmlDecode(input.Groups["value"].Value)));
        }

        fields.AddRange(extra.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)));
        return SendAsync(HttpMethod.Post, WebUtility.HtmlDecode(form.Groups["action"].Value), new FormUrlEncodedContent(fields), cancellationToken);
    }

    /// <summary>The parameters of a redirect's fragment or query.</summary>
    public static Dictionary<string, string> ResponseParameters(Uri location, bool fragment)
    {
        var part = fragment ? location.Fragment.TrimStart('#') : location.Query.TrimStart('?');
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in part.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=');
            var name = separator < 0 ? pair : pair[..separator];
            var value = separator < 0 ? string.Empty : pair[(separator + 1)..];
            parameters[Uri.UnescapeDataString(name)] = Uri.UnescapeDataString(value.Replace('+', ' '));
        }

        return parameters;
    }

    public static string Excerpt(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static Uri JarUri(Uri uri) => uri.Scheme == Uri.UriSchemeHttp ? new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps }.Uri : uri;

    [GeneratedRegex(@"atob\('([A-Za-z0-9+/=]+)'\)")]
    private static partial Regex ConfigPattern();

    [GeneratedRegex(@"<form[^>]*\baction=""(?<action>[^""]*)""[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex(@"<input type=""hidden"" name=""(?<name>[^""]*)"" value=""(?<value>[^""]*)"">")]
    private static partial Regex HiddenPattern();
}

/// <summary>What one request answered: status, Location and body.</summary>
internal sealed record Answer(HttpStatusCode Status, Uri? Location, string Body)
{
    public Answer Expect(HttpStatusCode status, string step)
        => Status == status ? this : throw new DriverException($"{step}: {(int)Status} instead of {(int)status}: {VirtualBrowser.Excerpt(Body)}");
}

/// <summary>A step of a flow answered something other than what a working sign-in answers.</summary>
internal sealed class DriverException(string message) : Exception(message);
