-- wrk script: full-text search GET /api/v1/enterprises?q=WORD with a session, over Chinese words.
dofile(os.getenv("ANJIAN_BENCH_LUA") .. "/report.lua")
local token = os.getenv("ANJIAN_TOKEN")
local words = {"化工", "杭州 化工", "机械", "宁波 纺织", "恒达", "华盛 机械", "永安", "宏远 商贸", "新能", "金泰 建材",
               "钱江", "之江 化工", "温州", "嘉兴 轻工", "湖州", "绍兴 纺织", "金华", "衢州", "舟山", "台州 化工"}
local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local i = 0
request = function()
  i = i + 1
  local q = urlencode(words[(i % #words) + 1])
  return wrk.format("GET", "/api/v1/enterprises?page_size=20&q=" .. q, {["Authorization"] = "Bearer " .. token})
end
done = report
