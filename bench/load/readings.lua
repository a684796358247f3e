-- wrk script: POST /api/v1/monitoring/readings, batches of ANJIAN_BATCH readings over ANJIAN_POINTS
-- points (codes P0…), timestamps always new (so nothing is a duplicate), with an API key. Counts
-- the readings the server says it accepted (committed and synced) and prints their rate.
dofile(os.getenv("ANJIAN_BENCH_LUA") .. "/report.lua")
local key = os.getenv("ANJIAN_KEY")
local batch = tonumber(os.getenv("ANJIAN_BATCH") or "1000")
local points = tonumber(os.getenv("ANJIAN_POINTS") or "100")
local threads = {}
local next_id = 0
setup = function(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
local base = os.time() * 1000 - 86400000
local counter = 0
accepted = 0
request = function()
  local parts = {}
  for i = 1, batch do
    counter = counter + 1
    -- Distinct per thread: each thread owns every 8th millisecond.
    parts[i] = string.format('{"point":"P%d","ts":%d,"value":%.2f}', (i - 1) % points, base + counter * 8 + thread_id,
                             10 + (i % 50) / 10)
  end
  return wrk.format("POST", "/api/v1/monitoring/readings",
    {["Authorization"] = "ApiKey " .. key, ["Content-Type"] = "application/json"},
    '{"readings":[' .. table.concat(parts, ",") .. "]}")
end
response = function(status, headers, body)
  local n = body:match('"accepted":(%d+)')
  if n then accepted = accepted + tonumber(n) end
end
done = function(summary, latency, requests)
  report(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("accepted") end
  io.write(string.format("accepted readings: %d, %.0f readings/s\n", total, total / (summary.duration / 1e6)))
end
