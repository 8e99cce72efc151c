using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;

namespace DynReg.Middleware.Testing;

/// <summary>
/// A browser stand-in over TestHost (or a real handler): keeps cookies, never follows redirects (tests look at each
/// Location), and knows the login page's shape: the <c>@@config@@</c> blob, the credential post,
/// the form to <c>/login/callback</c>, the consent form.
/// </summary>
public sealed partial class Browser : IDisposable
{
    private readonly CookieContainer _cookies = new();

    public Browser(TestServer server)
        : this(server.CreateHandler(), TestHost.Issuer)
    {
    }

    /// <summary>
    /// Over any handler, e.g. a real <see cref="HttpClientHandler"/> to Kestrel; give it
    /// <c>UseCookies = false</c> and <c>AllowAutoRedirect = false</c>: this class keeps the cookies.
    /// </summary>
    public Browser(HttpMessageHandler handler, Uri baseAddress)
    {
        Client = new HttpClient(new CookieHandler(_cookies) { InnerHandler = handler }) { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    public CookieContainer Cookies => _cookies;

    public Task<HttpResponseMessage> GetAsync(string pathAndQuery) => Client.GetAsync(pathAndQuery);

    /// <summary>The decoded <c>@@config@@</c> JSON of a login page.</summary>
    public static JsonElement LoginConfig(string html)
    {
        var match = ConfigPattern().Match(html);
        if (!match.Success)
        {
            throw new InvalidOperationException("No login config on the page: " + html[..Math.Min(html.Length, 300)]);
        }

        return JsonDocument.Parse(Convert.FromBase64String(match.Groups[1].Value)).RootElement.Clone();
    }

    /// <summary>Posts credentials as Lock ≥ 10.9 does: JSON with every internalOptions key.</summary>
    public Task<HttpResponseMessage> PostCredentialsAsync(JsonElement config, string username, string password, string? connection = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["client_id"] = config.GetProperty("clientID").GetString(),
            ["redirect_uri"] = config.GetProperty("callbackURL").GetString(),
            ["connection"] = connection ?? config.GetProperty("connections")[0].GetString(),
            ["username"] = username,
            ["password"] = password,
            ["sso"] = true,
            ["popup_options"] = new Dictionary<string, object>(),
        };
        foreach (var option in config.GetProperty("internalOptions").EnumerateObject())
        {
            body[option.Name] = option.Value.GetString();
        }

        return Client.PostAsync("/usernamepassword/login", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
    }

    /// <summary>Submits the first form of an HTML answer, as auth0.js and the consent page's buttons do.</summary>
    public Task<HttpResponseMessage> SubmitFormAsync(string html, IDictionary<string, string>? extra = null)
    {
        var form = FormPattern().Match(html);
        if (!form.Success)
        {
            throw new InvalidOperationException("No form in: " + html[..Math.Min(html.Length, 300)]);
        }

        var fields = new Dictionary<string, string>();
        foreach (Match input in HiddenPattern().Matches(form.Groups["body"].Value))
        {
            fields[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            fields[name] = value;
        }

        return Client.PostAsync(WebUtility.HtmlDecode(form.Groups["action"].Value), new FormUrlEncodedContent(fields));
    }

    /// <summary>The parameters of a redirect's fragment or query.</summary>
    public static Dictionary<string, string> ResponseParameters(Uri location, bool fragment)
    {
        var part = fragment ? location.Fragment.TrimStart('#') : location.Query.TrimStart('?');
        return part.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty));
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex(@"atob\('([A-Za-z0-9+/=]+)'\)")]
    private static partial Regex ConfigPattern();

    [GeneratedRegex(@"<form[^>]*action=""(?<action>[^""]*)""[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex(@"<input type=""hidden"" name=""(?<name>[^""]*)"" value=""(?<value>[^""]*)"">")]
    private static partial Regex HiddenPattern();

    // HttpClientHandler's cookie handling is not in TestServer's handler: do it here.
    private sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var header = cookies.GetCookieHeader(request.RequestUri!);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    cookies.SetCookies(request.RequestUri!, setCookie);
                }
            }

            return response;
        }
    }
}
