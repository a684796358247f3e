-- Shared by the wrk scripts: prints errors and latency percentiles in milliseconds.
function report(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("non-2xx or errors: %d\n", e.status + e.connect + e.read + e.write + e.timeout))
  for _, p in pairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%g: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
