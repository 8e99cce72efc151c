-- wrk script for run-soak.sh: a mix of the provider's traffic, by a per-thread counter modulo 10:
--   0      POST /oidc/register                  (201, or 429 past the tenant's 5 per second)
--   1-3    GET  /authorize (code + PKCE)        (200: the login page, a new login transaction; 302 with
--                                                temporarily_unavailable past the address's 120 sign-ins a minute)
--   4-6    POST /oauth/token client_credentials (200: a Management API token)
--   7-8    GET  /api/v2/clients?per_page=50     (200)
--   9      GET  /api/v2/clients/{client_id}     (200)
-- Counts answers by status; done() prints the totals (201s, 429s, 5xx, others) for the script.
-- Arguments after "--": management token, client id, management client id, its secret, audience.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function form_escape(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  token, client_id = args[1], args[2]
  token_body = "grant_type=client_credentials&client_id=" .. form_escape(args[3]) ..
    "&client_secret=" .. form_escape(args[4]) .. "&audience=" .. form_escape(args[5])
  authorize_path = "/authorize?response_type=code&client_id=" .. client_id ..
    "&redirect_uri=" .. form_escape("https://application.example.com/callback") ..
    "&scope=openid%20profile&state=soak&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
  counter = 0
  created, ok, limited, redirected, server_errors, other, last_other = 0, 0, 0, 0, 0, 0, 0
end

function request()
  counter = counter + 1
  local kind = counter % 10
  if kind == 0 then
    return wrk.format("POST", "/oidc/register", { ["Content-Type"] = "application/json" },
      '{"client_name":"Soak client","redirect_uris":["https://application.example.com/callback"]}')
  elseif kind <= 3 then
    return wrk.format("GET", authorize_path)
  elseif kind <= 6 then
    return wrk.format("POST", "/oauth/token", { ["Content-Type"] = "application/x-www-form-urlencoded" }, token_body)
  elseif kind <= 8 then
    return wrk.format("GET", "/api/v2/clients?per_page=50", { ["Authorization"] = "Bearer " .. token })
  else
    return wrk.format("GET", "/api/v2/clients/" .. client_id, { ["Authorization"] = "Bearer " .. token })
  end
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 200 then
    ok = ok + 1
  elseif status == 429 then
    limited = limited + 1
  elseif status == 302 then
    redirected = redirected + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  else
    other = other + 1
    last_other = status
  end
end

function done(summary, latency, requests)
  local c, o, l, r, s, x, last = 0, 0, 0, 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    o = o + thread:get("ok")
    l = l + thread:get("limited")
    r = r + thread:get("redirected")
    s = s + thread:get("server_errors")
    x = x + thread:get("other")
    if thread:get("last_other") ~= 0 then last = thread:get("last_other") end
  end
  io.write(string.format("soak: 201=%d 200=%d 429=%d 302=%d 5xx=%d other=%d (last other status %d)\n", c, o, l, r, s, x, last))
end
