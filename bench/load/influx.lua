-- wrk script: the same readings as readings.lua, written to InfluxDB 1.6 by line protocol
-- (POST /write?db=bench&precision=ms): batches of ANJIAN_BATCH points over ANJIAN_POINTS series,
-- each wrk thread its own series. InfluxDB answers 204 once the batch is in its WAL, which it
-- fsyncs before answering (wal-fsync-delay = 0s): the same durability as anjian's.
dofile(os.getenv("ANJIAN_BENCH_LUA") .. "/report.lua")
local batch = tonumber(os.getenv("ANJIAN_BATCH") or "1000")
local points = tonumber(os.getenv("ANJIAN_POINTS") or "100")
local nthreads = tonumber(os.getenv("WRK_THREADS") or "2")
local threads = {}
local next_id = 0
setup = function(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
dofile(os.getenv("ANJIAN_BENCH_LUA") .. "/batches.lua")
local next_body
written = 0
init = function()
  local own = math.floor(points / nthreads)
  next_body = make_batches(batch, function(i, ts)
    return string.format("reading,point=P%d value=%.2f %s", thread_id * own + (i - 1) % own, 10 + (i % 50) / 10, ts)
  end, "\n", "", "")
end
request = function()
  return wrk.format("POST", "/write?db=bench&precision=ms", {["Content-Type"] = "text/plain"}, next_body())
end
response = function(status, headers, body)
  if status == 204 then written = written + batch end
end
done = function(summary, latency, requests)
  report(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("written") end
  io.write(string.format("written points: %d, %.0f points/s\n", total, total / (summary.duration / 1e6)))
end
