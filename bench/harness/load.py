"""The load: wrk at a fixed concurrency, one Lua script per scenario spreading requests over the
fleet's yachts, a warm-up run first (not reported)."""

import json
import os
import subprocess
import tempfile

# Realistic search-bar queries, shared with bench/search.sh.
with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "search-queries.json")) as f:
    SEARCHES = json.load(f)

LUA = r"""
local targets = %(targets)s
local searches = %(searches)s
local scenario = "%(scenario)s"
local threads = {}
local requests = {}
local n = 0
statuses = {}
missing_retry_after = 0

function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end

local function json_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local function gcd(a, b)
  while b ~= 0 do a, b = b, a %% b end
  return a
end

-- The k-th request of the cycle: yacht k of the fleet, and for search the k-th query.
local function build(k)
  local t = targets[(k %% #targets) + 1]
  local auth = { ["authorization"] = "Bearer " .. t.token, ["content-type"] = "application/json" }
  local yacht = "/v1/yachts/" .. t.yacht
  if scenario == "health" then
    return wrk.format("GET", "/health")
  elseif scenario == "list_work_orders" then
    return wrk.format("GET", yacht .. "/work-orders?status=planned", auth)
  elseif scenario == "create_work_order" then
    return wrk.format("POST", yacht .. "/actions/execute", auth,
      '{"action": "create_work_order", "payload": {"title": "Bench: inspect sea chest strainer"}}')
  elseif scenario == "log_part_usage" then
    return wrk.format("POST", yacht .. "/actions/execute", auth,
      '{"action": "log_part_usage", "payload": {"part_id": "' .. t.part .. '", "quantity": 1}}')
  elseif scenario == "search" then
    return wrk.format("POST", yacht .. "/search", auth,
      '{"query": ' .. json_string(searches[(k %% #searches) + 1]) .. '}')
  else -- login
    return wrk.format("POST", "/v1/auth/login", { ["content-type"] = "application/json" },
      '{"email": "' .. t.email .. '", "password": "%(password)s"}')
  end
end

-- Requests are formatted once, not per request: the load generator shares the machine.
function init(args)
  local cycle = #targets
  if scenario == "search" then cycle = cycle * #searches / gcd(cycle, #searches) end
  for k = 0, cycle - 1 do requests[k + 1] = build(k) end
end

request = function()
  n = n + 1
  return requests[((n + offset) %% #requests) + 1]
end
%(response)s
done = function(summary, latency, requests)
  local all, missing = {}, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      all[tostring(status)] = (all[tostring(status)] or 0) + count
    end
    missing = missing + thread:get("missing_retry_after")
  end
  local e = summary.errors
  local parts = {}
  for status, count in pairs(all) do table.insert(parts, '"' .. status .. '": ' .. count) end
  io.write(string.format('BENCH {"requests": %%d, "duration_us": %%d, "socket_errors": %%d, ' ..
    '"status_errors": %%d, "p50_ms": %%.3f, "p90_ms": %%.3f, "p99_ms": %%.3f, "max_ms": %%.3f, ' ..
    '"statuses": {%%s}, "missing_retry_after": %%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, table.concat(parts, ", "), missing))
end
"""

# Only where answers must be told apart (the tenant-scale run): wrk hands every response's
# headers and body to Lua when this is defined, which costs it more CPU than the request.
CLASSIFY = r"""
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 503 and headers["retry-after"] == nil and headers["Retry-After"] == nil then
    missing_retry_after = missing_retry_after + 1
  end
end
"""


def lua_table(rows):
    def value(v):
        return json.dumps(v)  # a JSON string is a valid Lua string literal for these values
    return "{" + ", ".join("{" + ", ".join(f"{k} = {value(v)}" for k, v in row.items()) + "}" for row in rows) + "}"


def script(scenario, targets, password, classify):
    text = LUA % {
        "response": CLASSIFY if classify else "",
        "targets": lua_table(targets),
        "searches": "{" + ", ".join(json.dumps(q) for q in SEARCHES) + "}",
        "scenario": scenario,
        "password": password,
    }
    handle, path = tempfile.mkstemp(suffix=".lua")
    with os.fdopen(handle, "w") as file:
        file.write(text)
    return path


def wrk(base, scenario, targets, password, connections, seconds, warmup, classify=False):
    """Runs the scenario (after `warmup` seconds of the same, not reported); returns its figures.
    With `classify`, counts answers by status (and 503s without Retry-After)."""
    path = script(scenario, targets, password, classify)
    try:
        threads = str(min(2, connections))
        if warmup:
            subprocess.run(["wrk", "-t", threads, "-c", str(connections), "-d", f"{warmup}s", "-s", path, base],
                           check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run(["wrk", "-t", threads, "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
                              "-s", path, base], check=True, text=True, stdout=subprocess.PIPE).stdout
    finally:
        os.unlink(path)
    line = next(l for l in out.splitlines() if l.startswith("BENCH "))
    figures = json.loads(line[len("BENCH "):])
    if classify:
        ok = sum(c for s, c in figures["statuses"].items() if s.startswith("2"))
    else:
        ok = figures["requests"] - figures["status_errors"]  # wrk counts statuses >= 400
    figures["errors"] = figures["requests"] - ok + figures["socket_errors"]
    figures["rps"] = ok / (figures["duration_us"] / 1e6)
    return figures
