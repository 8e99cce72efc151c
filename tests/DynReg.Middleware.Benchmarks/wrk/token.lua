-- wrk script: POSTs a form body given after "--" and counts answers that are not 200 OK.
-- Usage: wrk -t2 -c32 -d20s -s token.lua http://127.0.0.1:PORT/oauth/token -- 'grant_type=client_credentials&...'
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  if args[1] == nil or args[1] == "" then
    error("token.lua needs the form body as its first argument (after --)")
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.body = args[1]
  non200 = 0
  last_status = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    last_status = status
  end
end

function done(summary, latency, requests)
  local total, status = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("non200")
    if thread:get("last_status") ~= 0 then
      status = thread:get("last_status")
    end
  end
  io.write(string.format("non-200 responses: %d (last status %d)\n", total, status))
end
