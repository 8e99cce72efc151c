-- wrk script: POSTs the permissive seed registration request and counts answers that are
-- not 201 Created. Usage: wrk -t2 -c32 -d20s -s post.lua http://127.0.0.1:PORT/oidc/register
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"client_name":"My Dynamic Client","redirect_uris":["https://application.example.com/callback"]}'

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non201 = 0
  last_status = 0
end

function response(status, headers, body)
  if status ~= 201 then
    non201 = non201 + 1
    last_status = status
  end
end

function done(summary, latency, requests)
  local total, status = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("non201")
    if thread:get("last_status") ~= 0 then
      status = thread:get("last_status")
    end
  end
  io.write(string.format("non-201 responses: %d (last status %d)\n", total, status))
end
