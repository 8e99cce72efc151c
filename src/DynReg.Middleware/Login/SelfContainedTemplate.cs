namespace DynReg.Middleware.Login;

/// <summary>
/// The built-in login page: no outside resources, one inline script under the CSP nonce.
/// It speaks to the server exactly as Lock does on a hosted page (LOCK.md row 11): JSON to
/// <c>POST /usernamepassword/login</c>, then submits the HTML form it gets back, which posts
/// to <c>/login/callback</c>; errors are Lock's JSON shapes, shown in Lock's words.
/// </summary>
internal static class SelfContainedTemplate
{
    public const string Html = """
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }
  main { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 2px 12px rgba(0,0,0,.1); }
  h1 { font-size: 1.3rem; margin-top: 0; }
  label { display: block; margin: .8rem 0 .2rem; font-size: .9rem; }
  input, select { width: 100%; box-sizing: border-box; padding: .55rem; font-size: 1rem; }
  button { margin-top: 1.2rem; width: 100%; padding: .7rem; font-size: 1rem; background: #1a5fd0; color: #fff; border: 0; border-radius: 4px; }
  #error { color: #b00020; min-height: 1.2rem; margin-top: .8rem; }
</style>
</head>
<body>
<main>
  <h1 id="title">Sign in</h1>
  <form id="login" method="post" action="usernamepassword/login" autocomplete="on">
    <div id="connection-row" hidden>
      <label for="connection">Connection</label>
      <select id="connection" name="connection"></select>
    </div>
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="username" required>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button id="login-button" type="submit">Log in</button>
    <div id="error" role="alert"></div>
  </form>
</main>
<script nonce="@@nonce@@">
(function () {
  var config = JSON.parse(decodeURIComponent(escape(window.atob('@@config@@'))));
  var title = (config.dict && config.dict.signin && config.dict.signin.title) || 'Sign in';
  document.getElementById('title').textContent = title;
  document.title = title;

  var select = document.getElementById('connection');
  (config.connections || []).forEach(function (name) {
    var option = document.createElement('option');
    option.value = name; option.textContent = name; select.appendChild(option);
  });
  if (select.options.length > 1) { document.getElementById('connection-row').hidden = false; }

  // Lock's texts for the server's error codes (LOCK.md §(d)).
  function message(status, body) {
    var code = body && (body.code || body.error);
    var description = body && (body.description || body.error_description);
    if (code === 'invalid_user_password') { return 'Wrong email or password.'; }
    if (code === 'unauthorized' && description === 'user is blocked') { return 'The user is blocked.'; }
    if (code === 'too_many_attempts') { return 'Your account has been blocked after multiple consecutive login attempts.'; }
    if (code === 'unauthorized' && description) { return description; }
    return "We're sorry, something went wrong when attempting to log in.";
  }

  document.getElementById('login').addEventListener('submit', function (event) {
    event.preventDefault();
    var error = document.getElementById('error');
    error.textContent = '';
    var body = {
      client_id: config.clientID,
      redirect_uri: config.callbackURL,
      connection: select.value || config.connection,
      username: document.getElementById('email').value.trim(),
      password: document.getElementById('password').value,
      sso: true
    };
    Object.keys(config.internalOptions || {}).forEach(function (key) { body[key] = config.internalOptions[key]; });
    fetch('usernamepassword/login', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (response) {
      var type = response.headers.get('Content-Type') || '';
      if (response.ok && type.indexOf('text/html') === 0) {
        return response.text().then(function (html) {
          // As auth0.js does: the first element of the answer is the form to /login/callback.
          var holder = document.createElement('div');
          holder.innerHTML = html;
          document.body.appendChild(holder).children[0].submit();
        });
      }
      return response.json().catch(function () { return null; }).then(function (json) {
        error.textContent = message(response.status, json);
      });
    }).catch(function () { error.textContent = 'We could not reach the server. Please try again.'; });
  });
})();
</script>
</body>
</html>
""";
}
