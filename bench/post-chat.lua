-- wrk script: POSTs one JSON chat request (the file named by $BENCH_BODY) to /v1/chat/completions
-- and counts every answer whose status is not 200, so a fast 404 cannot pass for throughput.
-- BENCH_CHECK=0 leaves the response callback out (wrk then skips parsing headers into Lua).
-- BENCH_AUTH=sk-tg-… adds "Authorization: Bearer …" (the proxy needs it; the mock and nginx ignore it).
-- Latencies are printed in ms (2 decimals) and in whole µs: wrk records every latency in whole microseconds.
local path = os.getenv("BENCH_BODY") or error("set BENCH_BODY to the request body file")
local f = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then wrk.headers["Authorization"] = "Bearer " .. auth end
-- BENCH_HEADERS: more headers, one "Name: value" per line (compare.sh sends Portkey's to every path).
for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  responses = 0
  non200 = 0
  first_bad = ""
end

if os.getenv("BENCH_CHECK") ~= "0" then
  function response(status, headers, body)
    responses = responses + 1
    if status ~= 200 then
      non200 = non200 + 1
      if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 200) end
    end
  end
end

function done(summary, latency, requests)
  local seen, bad, example = 0, 0, ""
  for _, t in ipairs(threads) do
    seen = seen + (t:get("responses") or 0)
    bad = bad + (t:get("non200") or 0)
    local fb = t:get("first_bad")
    if example == "" and fb and fb ~= "" then example = fb end
  end
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d rps=%.0f\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("BENCH p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("BENCH p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.1f\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean))
  io.write(string.format("BENCH checked=%d non200=%d socket_errors=%d status_errors=%d\n",
    seen, bad, e.connect + e.read + e.write + e.timeout, e.status))
  io.write(string.format("BENCH connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n", e.connect, e.read, e.write, e.timeout))
  if example ~= "" then io.write("BENCH first_non200=" .. example .. "\n") end
end
