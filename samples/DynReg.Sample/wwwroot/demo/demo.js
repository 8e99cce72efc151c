// The demo page's client: registration, the implicit sign-in (id_token token), the callback.
// Runs on /demo and /demo/callback; talks only to this origin.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const redirectUri = window.location.origin + '/demo/callback';
  const clientKey = 'dynreg-demo-client';
  const transactionKey = 'dynreg-demo-transaction';

  let discovery = null;
  let status = null;

  const pretty = (value) => JSON.stringify(value, null, 2);

  function fail(message) {
    const error = $('error');
    error.textContent = message;
    error.hidden = false;
  }

  function randomValue() {
    const bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    return base64Url(bytes);
  }

  function base64Url(bytes) {
    let text = '';
    bytes.forEach((b) => { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  // The payload of a compact JWS, decoded for display (the API verifies the signature).
  function jwtPayload(jwt) {
    const part = (jwt || '').split('.')[1] || '';
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  }

  async function json(url, init) {
    const response = await fetch(url, init);
    const text = await response.text();
    let body = text;
    try { body = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
    return { status: response.status, ok: response.ok, headers: response.headers, body };
  }

  // 1. The flag (discovery lists registration_endpoint only while it is on) and the domain connections.
  async function showSetup() {
    const [disc, stat] = await Promise.all([json('/.well-known/openid-configuration'), json('/demo/status')]);
    discovery = disc.body;
    status = stat.body;
    const on = Boolean(discovery.registration_endpoint) && status.registration_enabled;
    const connections = status.domain_connections;

    $('flag-state').textContent = on ? 'on' : 'off';
    $('flag-state').className = on ? 'on' : 'off';
    $('connection-state').textContent = connections.length > 0 ? connections.join(', ') : 'none';
    $('connection-state').className = connections.length > 0 ? 'on' : 'off';
    $('setup-help').hidden = on && connections.length > 0;
    $('enable-offer').hidden = !status.can_enable;
    $('register').disabled = !on;
    if (status.demo_user) {
      $('user-hint').textContent = `as ${status.demo_user.email} (password ${status.demo_user.password})`;
    }

    const saved = JSON.parse(sessionStorage.getItem(clientKey) || 'null');
    if (on && saved) {
      $('client-id').textContent = saved.client_id;
      $('sign-in').disabled = connections.length === 0;
    }
  }

  async function enable() {
    $('enable').disabled = true;
    const answer = await json('/demo/enable', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    $('enable-result').hidden = false;
    $('enable-result').textContent = pretty(answer.body);
    $('enable').disabled = false;
    await showSetup();
  }

  // 2. Open registration: no token, just the metadata (RFC 7591).
  async function register() {
    $('register').disabled = true;
    const answer = await json(discovery.registration_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'DynReg demo page', redirect_uris: [redirectUri] }),
    });
    $('register').disabled = false;
    if (answer.status !== 201) {
      fail(`Registration answered ${answer.status}:\n${pretty(answer.body)}`);
      return;
    }

    const client = answer.body;
    $('registration').hidden = false;
    $('registration').textContent = pretty({ ...client, client_secret: client.client_secret && '(not shown: this browser client never uses it)' });
    if (!client.response_types.includes('id_token token')) {
      fail('The client may not use response_type "id_token token" (implicit). Either the tenant is in strict mode, '
        + `or ${redirectUri} is a loopback URI, which implicit web clients may use only with `
        + 'DynReg:Registration:AllowHttpLoopbackRedirectUrisForWebClients=true (appsettings.Development.json sets it).');
      return;
    }

    sessionStorage.setItem(clientKey, JSON.stringify({ client_id: client.client_id }));
    $('client-id').textContent = client.client_id;
    $('sign-in').disabled = status.domain_connections.length === 0;
    if (status.domain_connections.length === 0) {
      fail('No domain connection exists, so this third-party client has no way to sign users in: promote the connection first (step 1).');
    }
  }

  // 3. To /authorize, with state and nonce kept for the callback.
  function signIn() {
    const client = JSON.parse(sessionStorage.getItem(clientKey));
    const transaction = { client_id: client.client_id, state: randomValue(), nonce: randomValue() };
    sessionStorage.setItem(transactionKey, JSON.stringify(transaction));
    const query = new URLSearchParams({
      client_id: transaction.client_id,
      response_type: 'id_token token',
      redirect_uri: redirectUri,
      audience: status.audience,
      scope: status.scope,
      state: transaction.state,
      nonce: transaction.nonce,
    });
    window.location.assign(`${discovery.authorization_endpoint}?${query}`);
  }

  // 4. The fragment: check state and nonce, show the payloads, call the API.
  async function callback() {
    $('setup').hidden = true;
    $('register-step').hidden = true;
    $('sign-in-step').hidden = true;
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    history.replaceState(null, '', window.location.pathname); // the tokens leave the address bar
    const transaction = JSON.parse(sessionStorage.getItem(transactionKey) || 'null');
    sessionStorage.removeItem(transactionKey); // one use

    if (fragment.has('error')) {
      fail(`/authorize answered ${fragment.get('error')}: ${fragment.get('error_description') || ''}`);
      return;
    }

    if (!transaction || fragment.get('state') !== transaction.state) {
      fail('The state in the answer is not the one this browser sent: ignoring it.');
      return;
    }

    const idToken = jwtPayload(fragment.get('id_token'));
    if (idToken.nonce !== transaction.nonce || idToken.aud !== transaction.client_id) {
      fail('The ID token was not issued for this sign-in (nonce or audience differ): ignoring it.');
      return;
    }

    const accessToken = fragment.get('access_token');
    $('result').hidden = false;
    $('checks').textContent = 'state and nonce match what this browser sent; the ID token is for this client.';
    $('id-token').textContent = pretty(idToken);
    $('access-token').textContent = pretty(jwtPayload(accessToken));

    const api = await json('/api/appointments', { headers: { authorization: `Bearer ${accessToken}` } });
    $('api-status').textContent = `${api.status}`;
    $('api-result').textContent = api.ok ? pretty(api.body) : (api.headers.get('www-authenticate') || pretty(api.body));
  }

  $('enable').addEventListener('click', () => enable().catch((e) => fail(String(e))));
  $('register').addEventListener('click', () => register().catch((e) => fail(String(e))));
  $('sign-in').addEventListener('click', () => signIn());
  $('redirect-uri').textContent = redirectUri;
  (window.location.pathname === '/demo/callback' ? callback() : showSetup()).catch((e) => fail(String(e)));
})();
