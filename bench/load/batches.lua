-- Request bodies for the ingestion benchmarks, made cheaply: formatting 1,000 readings in Lua for
-- every request took a third of the 2-core machine away from the server being measured. The body
-- is formatted once with a placeholder for the high digits of every timestamp; each request fills
-- in the next value (one gsub, in C), so that every reading of every request has a new timestamp.
--   make_batches(batch, format, separator, head, tail) → next_body()
-- format(i, ts_text) gives reading i (1-based) of a batch, ts_text its timestamp in epoch
-- milliseconds as text. Reading i of the r-th body is at (start + r) · 10^k + i − 1 ms, k the
-- digits of the batch size, start a week ago: a thread would need 600,000 bodies to reach now.
local placeholder = "@@@@@@@@@@@@"
function make_batches(batch, format, separator, head, tail)
  local digits = math.max(3, #tostring(batch - 1))
  local parts = {}
  for i = 1, batch do
    parts[i] = format(i, placeholder .. string.format("%0" .. digits .. "d", i - 1))
  end
  local template = head .. table.concat(parts, separator) .. tail
  local high = math.floor((os.time() * 1000 - 7 * 86400000) / 10 ^ digits)
  return function()
    high = high + 1
    return (template:gsub(placeholder, string.format("%d", high)))
  end
end
