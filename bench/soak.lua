-- bench/soak.py: rotate through the public URLs listed in $SOAK_PATHS (one a line),
-- count every answer that is not 2xx/3xx, and print one JSON line at the end.
local paths = {}
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  for line in io.lines(os.getenv("SOAK_PATHS")) do
    if line ~= "" then table.insert(paths, line) end
  end
  counter = 0
  bad = 0
end

request = function()
  counter = counter % #paths + 1
  current = paths[counter]
  return wrk.format("GET", current)
end

response = function(status, headers, body)
  if status < 200 or status >= 400 then
    bad = bad + 1
  end
end

done = function(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
  end
  local errors = summary.errors
  io.write(string.format(
    'SOAK_JSON {"requests": %d, "seconds": %.3f, "requests_per_second": %.2f, '
      .. '"p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "non_2xx_3xx": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    bad_total, errors.connect, errors.read, errors.write, errors.timeout))
end
