-- wrk script: GET /api/v1/enterprises/summary with a session (the home page's counts).
-- Environment: ANJIAN_TOKEN (a session token; the province administrator's scope is the widest).
dofile(os.getenv("ANJIAN_BENCH_LUA") .. "/report.lua")
local token = os.getenv("ANJIAN_TOKEN")
request = function()
  return wrk.format("GET", "/api/v1/enterprises/summary", {["Authorization"] = "Bearer " .. token})
end
done = report
