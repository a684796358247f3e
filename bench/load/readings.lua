-- wrk script: POST /api/v1/monitoring/readings, batches of ANJIAN_BATCH readings over ANJIAN_POINTS
-- points (codes P0…), timestamps always new (so nothing is a duplicate), with an API key. Counts
-- the readings the server says it accepted (committed and synced) and prints their rate.
-- Each wrk thread is one gateway with its own points (as in the field: a point has one sender),
-- so each point's timestamps only grow; two threads sharing points would drift apart and turn
-- one of them into a backfill of old readings, which the server must check against storage.
dofile(os.getenv("ANJIAN_BENCH_LUA") .. "/report.lua")
local key = os.getenv("ANJIAN_KEY")
local batch = tonumber(os.getenv("ANJIAN_BATCH") or "1000")
local points = tonumber(os.getenv("ANJIAN_POINTS") or "100")
local threads = {}
local nthreads = tonumber(os.getenv("WRK_THREADS") or "2")
local next_id = 0
setup = function(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
dofile(os.getenv("ANJIAN_BENCH_LUA") .. "/batches.lua")
local next_body
accepted = 0
init = function()
  local own = math.floor(points / nthreads)
  next_body = make_batches(batch, function(i, ts)
    return string.format('{"point":"P%d","ts":%s,"value":%.2f}', thread_id * own + (i - 1) % own, ts, 10 + (i % 50) / 10)
  end, ",", '{"readings":[', "]}")
end
request = function()
  return wrk.format("POST", "/api/v1/monitoring/readings",
    {["Authorization"] = "ApiKey " .. key, ["Content-Type"] = "application/json"}, next_body())
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
