-- wrk script: GET /api/v1/enterprises/{uscc} with a session, cycling over codes read from a file.
-- Environment: ANJIAN_TOKEN (a session token), ANJIAN_USCC_FILE (one code a line).
local token = os.getenv("ANJIAN_TOKEN")
local codes = {}
for line in io.lines(os.getenv("ANJIAN_USCC_FILE")) do codes[#codes + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/enterprises/" .. codes[(i % #codes) + 1], {["Authorization"] = "Bearer " .. token})
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  for _, p in pairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%g: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
