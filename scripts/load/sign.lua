-- wrk script for `make load`: every request is a new supporter (own e-mail address, own
-- Idempotency-Key, own client address in X-Forwarded-For, read because the server trusts
-- 127.0.0.1 as its proxy), so the server does full work for each: no duplicates, no replays,
-- no rate limit. Arguments: the run's tag, which keeps runs apart in one database, and the
-- run's number, which gives each run its own 4,000,000 client addresses in 10.0.0.0/8.

local threads = 0

function setup(thread)
  thread:set("thread", threads)
  threads = threads + 1
end

function init(args)
  tag = args[1] or "run"
  first = (tonumber(args[2]) or 0) * 4000000 + thread * 1000000
  sent = 0
end

function request()
  sent = sent + 1
  local n = thread * 10000000 + sent
  local body = string.format(
    '{"first_name":"Belasting","last_name":"Proef","email":"load-%s-%d@example.nl",' ..
    '"phone":"+31612345678","locale":"nl","attribution":{"utm_source":"load"},' ..
    '"website":"","elapsed_ms":5000}', tag, n)
  local a = first + sent
  local client = string.format("10.%d.%d.%d", math.floor(a / 65536) % 256, math.floor(a / 256) % 256, a % 256)
  return wrk.format("POST", "/api/v1/petitions/gezinshulp-eerst/signatures", {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("load-%s-%d", tag, n),
    ["X-Forwarded-For"] = client,
  }, body)
end
