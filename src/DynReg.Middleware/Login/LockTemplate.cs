namespace DynReg.Middleware.Login;

/// <summary>
/// The seed's Lock template (Auth0's "Update the login page"): Lock created with
/// <c>__useTenantInfo: config.isThirdPartyClient</c>. Two additions keep every request on the
/// host: <c>avatar: null</c> (no Gravatar) and a local logo (no CDN badge, LOCK.md §(e) 6).
/// Inline scripts carry the CSP nonce.
/// </summary>
internal static class LockTemplate
{
    public const string DefaultLockScriptUrl = "https://cdn.auth0.com/js/lock/11.35.1/lock.min.js";

    public const string Html = """
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in</title>
</head>
<body>
<script src="@@lockScriptUrl@@"></script>
<script nonce="@@nonce@@">
  // Decode utf8 characters properly
  var config = JSON.parse(decodeURIComponent(escape(window.atob('@@config@@'))));

  var connection = config.connection;
  var prompt = config.prompt;
  var languageDictionary;
  var language;
  if (config.dict && config.dict.signin && config.dict.signin.title) {
    languageDictionary = { title: config.dict.signin.title };
  } else if (typeof config.dict === 'string') {
    language = config.dict;
  }

  var lock = new Auth0Lock(config.clientID, config.auth0Domain, {
    auth: {
      redirectUrl: config.callbackURL,
      responseType: config.callbackOnLocationHash ? 'token' : 'code',
      params: config.internalOptions
    },
    assetsUrl: config.assetsUrl,
    allowedConnections: connection ? [connection] : null,
    rememberLastLogin: !prompt,
    language: language,
    languageDictionary: languageDictionary,
    closable: false,
    avatar: null,
    theme: { logo: 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2258%22 height=%2258%22%3E%3Ccircle cx=%2229%22 cy=%2229%22 r=%2226%22 fill=%22%231a5fd0%22/%3E%3C/svg%3E' },
    __useTenantInfo: config.isThirdPartyClient
  });

  lock.show();
</script>
</body>
</html>
""";
}
