using System.Net;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.InteropTests.Infrastructure;

/// <summary>What a person's browser does at the provider, over HTTP: the login page, the credential post, the callback form, consent.</summary>
internal static class UserAgent
{
    /// <summary>
    /// From an /authorize URL to the provider's answer to the client: a redirect (query or
    /// fragment) or the form_post page. Accepts consent when the provider asks for it.
    /// </summary>
    public static async Task<HttpResponseMessage> SignInAsync(Browser browser, Uri authorize)
    {
        using var page = await browser.Client.GetAsync(authorize);
        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        var config = Browser.LoginConfig(html);

        using var login = await browser.PostCredentialsAsync(config, KestrelProvider.Email, KestrelProvider.Password);
        var callbackForm = await login.Content.ReadAsStringAsync();
        login.StatusCode.ShouldBe(HttpStatusCode.OK, callbackForm);

        var callback = await browser.SubmitFormAsync(callbackForm);
        if (callback.StatusCode == HttpStatusCode.OK && (await callback.Content.ReadAsStringAsync()).Contains("/authorize/consent\"", StringComparison.Ordinal))
        {
            var consentPage = await callback.Content.ReadAsStringAsync();
            callback.Dispose();
            return await browser.SubmitFormAsync(consentPage, new Dictionary<string, string> { ["decision"] = "accept" });
        }

        return callback;
    }

    /// <summary>Follows one redirect, resolving a relative Location against the request's URL.</summary>
    public static Uri Location(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }
}
