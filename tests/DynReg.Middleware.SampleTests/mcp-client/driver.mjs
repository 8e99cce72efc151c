// An MCP client made with the MCP TypeScript SDK itself, for McpTypeScriptSdkTests.cs: the SDK's
// Client and StreamableHTTPClientTransport with an in-memory OAuthClientProvider. Connecting gets
// the server's 401; the SDK discovers (RFC 9728, then RFC 8414), registers (RFC 7591) and hands
// the authorization URL to redirectToAuthorization, which prints it. The test's browser signs in
// and consents; the provider's redirect reaches this script's loopback callback, the SDK redeems
// the code, and the script calls list_appointments. Then the saved access token is spoiled: the
// next call must get 401, and the SDK must refresh and call again.
//
// usage: node driver.mjs --package sdk|client --modules <node_modules> --server <MCP URL>
//                        --issuer <issuer> --port <callback port>
// stdout, one line each, "<WORD> <text>": AUTHORIZE <url>, REGISTERED <json>, TOKEN_REQUEST
// <json> (the parameter names and the grant_type, resource and scope the SDK sent to the token
// endpoint, no secrets), CALLBACK <json>, CLAIMS <json> (the access token's, decoded only),
// RESULT <json>, REFRESHED <json> (with the new access token's claims), RESULT_AFTER_REFRESH
// <json>, DONE. Errors go to stderr, and any failure exits non-zero.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    package: { type: 'string' },
    modules: { type: 'string' },
    server: { type: 'string' },
    issuer: { type: 'string' },
    port: { type: 'string' },
    timeout: { type: 'string', default: '110' },
  },
});
for (const name of ['package', 'modules', 'server', 'issuer', 'port']) {
  if (!args[name]) fail(`--${name} is required`);
}

// A whole-run limit of its own, below the test's, so that a stuck flow says where it stopped.
let stage = 'starting';
const deadline = setTimeout(() => fail(`timed out while ${stage}`), Number(args.timeout) * 1000);
deadline.unref();

const print = (word, value) => process.stdout.write(`${word} ${typeof value === 'string' ? value : JSON.stringify(value)}\n`);

function fail(message) {
  process.stderr.write(`driver: ${message instanceof Error ? message.stack ?? message.message : message}\n`);
  process.exit(1);
}

// The packages live in a cache outside the repository (install.sh), and ESM resolves bare names
// from the importing file's folder only: a subpath is found through the package's "exports".
async function load(packageName, subpath) {
  const packageDir = join(args.modules, ...packageName.split('/'));
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  let target = manifest.exports?.[subpath];
  if (target === undefined && manifest.exports?.['./*'] !== undefined && subpath.startsWith('./')) {
    target = JSON.parse(JSON.stringify(manifest.exports['./*']).replaceAll('*', subpath.slice(2)));
  }
  const entry = typeof target === 'string' ? target : typeof target?.import === 'string' ? target.import : target?.import?.default;
  if (typeof entry !== 'string') throw new Error(`${packageName} exports no ESM entry for ${subpath}`);
  return import(pathToFileURL(join(packageDir, entry)).href);
}

let sdk;
if (args.package === 'sdk') {
  sdk = {
    ...(await load('@modelcontextprotocol/sdk', './client/index.js')),
    ...(await load('@modelcontextprotocol/sdk', './client/streamableHttp.js')),
    ...(await load('@modelcontextprotocol/sdk', './client/auth.js')),
  };
} else if (args.package === 'client') {
  sdk = await load('@modelcontextprotocol/client', '.');
} else {
  fail(`unknown --package ${args.package}`);
}
const { Client, StreamableHTTPClientTransport, UnauthorizedError } = sdk;
if (!Client || !StreamableHTTPClientTransport || !UnauthorizedError) fail('the package lacks Client, StreamableHTTPClientTransport or UnauthorizedError');

// A JWT's claims, decoded only: the server under test is what validates it.
const claims = jwt => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));

const redirectUrl = `http://127.0.0.1:${args.port}/callback`;

// Everything the SDK keeps between requests, in memory; every saveTokens call is recorded.
class InMemoryProvider {
  savedTokens = [];
  sentState;
  #client;
  #tokens;
  #verifier;
  #discovery;

  get redirectUrl() { return redirectUrl; }

  get clientMetadata() {
    return {
      client_name: `MCP TypeScript SDK test (${args.package})`,
      redirect_uris: [redirectUrl],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    };
  }

  state() {
    this.sentState = randomBytes(16).toString('base64url');
    return this.sentState;
  }

  clientInformation() { return this.#client; }

  saveClientInformation(information) {
    this.#client = information;
    print('REGISTERED', { client_id: information.client_id, issuer: information.issuer ?? null, grant_types: information.grant_types ?? null, scope: information.scope ?? null });
  }

  tokens() { return this.#tokens; }

  saveTokens(tokens) {
    this.#tokens = tokens;
    this.savedTokens.push(tokens);
  }

  // Makes the saved access token one the server refuses; the refresh token stays good.
  spoilAccessToken() { this.#tokens = { ...this.#tokens, access_token: `${this.#tokens.access_token}spoiled` }; }

  redirectToAuthorization(url) {
    stage = 'waiting for the browser at the callback';
    print('AUTHORIZE', url.href);
  }

  saveCodeVerifier(verifier) { this.#verifier = verifier; }

  codeVerifier() {
    if (!this.#verifier) throw new Error('no code verifier saved');
    return this.#verifier;
  }

  saveDiscoveryState(state) { this.#discovery = state; }

  discoveryState() { return this.#discovery; }

  invalidateCredentials(scope) {
    process.stderr.write(`driver: the SDK invalidated credentials: ${scope}\n`);
    if (scope === 'all' || scope === 'client') this.#client = undefined;
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if (scope === 'all' || scope === 'verifier') this.#verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.#discovery = undefined;
  }
}

// What the SDK sends to the token endpoint, without the values of codes, verifiers and tokens.
const tokenRequests = [];
async function recordingFetch(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const isToken = url.pathname === '/oauth/token' && init?.body instanceof URLSearchParams;
  if (isToken) {
    const request = {
      parameters: [...init.body.keys()].sort(),
      grant_type: init.body.get('grant_type'),
      resource: init.body.getAll('resource'),
      scope: init.body.get('scope'),
    };
    tokenRequests.push(request);
    print('TOKEN_REQUEST', request);
  }
  const response = await fetch(input, init);
  if (isToken && !response.ok) {
    process.stderr.write(`driver: token endpoint ${response.status}: ${await response.clone().text()}\n`);
  }
  return response;
}

// The loopback callback (RFC 8252 §7.3): the first request to /callback settles the promise.
let callbackArrived;
const callback = new Promise(resolve => { callbackArrived = resolve; });
const server = createServer((request, response) => {
  const url = new URL(request.url, redirectUrl);
  if (url.pathname !== '/callback') {
    response.writeHead(404).end();
    return;
  }
  const failed = url.searchParams.get('error');
  response.writeHead(failed ? 400 : 200, { 'content-type': 'text/html; charset=utf-8' })
    .end(`<!doctype html><title>MCP client</title><p id="result">${failed ? 'Sign-in failed.' : 'Signed in: you may close this window.'}</p>`);
  callbackArrived(url.searchParams);
});
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(args.port), '127.0.0.1', resolve);
});

const provider = new InMemoryProvider();
const newTransport = () => new StreamableHTTPClientTransport(new URL(args.server), { authProvider: provider, fetch: recordingFetch });
const newClient = () => new Client({ name: 'dynreg-mcp-sdk-test', version: '1.0.0' });

async function callTool(client) {
  const result = await client.callTool({ name: 'list_appointments', arguments: {} });
  if (result.isError) throw new Error('the tool answered an error: ' + JSON.stringify(result));
  return result;
}

try {
  // 1. Without a token: the 401, then the SDK's discovery, registration and redirectToAuthorization.
  stage = 'connecting without a token';
  const firstTransport = newTransport();
  try {
    await newClient().connect(firstTransport);
    fail('the first connect succeeded without signing in');
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }

  // 2. The browser comes back to the callback; the SDK redeems the code.
  const parameters = await callback;
  const iss = parameters.get('iss');
  print('CALLBACK', { iss, parameters: [...parameters.keys()].sort() });
  if (parameters.get('error')) fail(`the authorization server answered ${parameters.get('error')}: ${parameters.get('error_description')}`);
  if (parameters.get('state') !== provider.sentState) fail(`the callback's state ${parameters.get('state')} is not the one sent`);
  const code = parameters.get('code');
  if (!code) fail('the callback has no code');
  stage = 'redeeming the code';
  if (args.package === 'client') {
    // 2.x takes the callback's parameters and checks iss (RFC 9207) itself, before the code.
    await firstTransport.finishAuth(parameters);
  } else {
    // 1.x does not look at iss: the driver does (RFC 9207 §2.4).
    if (iss !== args.issuer) fail(`the callback's iss ${iss} is not the issuer ${args.issuer}`);
    await firstTransport.finishAuth(code);
  }
  const first = provider.tokens();
  if (!first?.access_token) fail('finishAuth saved no access token');
  if (!first.refresh_token) fail(`the token response has no refresh token (scope ${first.scope})`);
  print('CLAIMS', claims(first.access_token));

  stage = 'calling the tool';
  const client = newClient();
  await client.connect(newTransport());
  print('RESULT', await callTool(client));

  // 3. The saved access token spoiled: the server's 401 makes the SDK refresh, save the new
  // tokens and send the call again.
  stage = 'calling the tool with a spoiled access token';
  provider.spoilAccessToken();
  const savedBefore = provider.savedTokens.length;
  const second = await callTool(client);
  const fresh = provider.savedTokens.slice(savedBefore).map(t => t.access_token)
    .filter(token => token && token !== first.access_token && !token.endsWith('spoiled'));
  if (!tokenRequests.some(r => r.grant_type === 'refresh_token')) fail('the SDK sent no refresh_token request');
  if (fresh.length === 0) fail('saveTokens was not called with a new access token after the 401');
  print('REFRESHED', {
    new_access_token: true,
    token_requests: tokenRequests.map(r => r.grant_type),
    refresh_token_rotated: provider.tokens().refresh_token !== first.refresh_token,
    claims: claims(fresh.at(-1)),
  });
  print('RESULT_AFTER_REFRESH', second);

  await client.close();
  server.close();
  print('DONE', 'ok');
  process.exit(0);
} catch (error) {
  fail(error);
}
