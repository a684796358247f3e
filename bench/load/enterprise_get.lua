-- wrk script: GET /api/v1/enterprises/{uscc} with a session, cycling over codes read from a file.
-- Environment: ANJIAN_TOKEN (a session token), ANJIAN_USCC_FILE (one code a line).
dofile(os.getenv("ANJIAN_BENCH_LUA") .. "/report.lua")
local token = os.getenv("ANJIAN_TOKEN")
local codes = {}
for line in io.lines(os.getenv("ANJIAN_USCC_FILE")) do codes[#codes + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/enterprises/" .. codes[(i % #codes) + 1], {["Authorization"] = "Bearer " .. token})
end
done = report
