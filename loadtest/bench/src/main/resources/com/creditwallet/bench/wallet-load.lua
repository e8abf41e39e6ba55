-- wrk script of bin/wallet bench (see Wrk.java): POSTs reservations of 1 credit, each with a
-- reservationId never used before, in one of five modes (WALLET_BENCH_MODE):
--   hot     single reservations on one wallet
--   cold    single reservations on the wallet named by WALLET_BENCH_WALLET (scenario w: a fresh
--           wallet per 5-s window, from the node's ready on)
--   spread  single reservations, each on one of 1,000 wallets at random
--   batch   POST /v1/batch of 1,000 reserves, 10 on each of 100 wallets
--   mixed   the warm-up: 1 request in 100 a batch (on wallets of its own), the rest half hot, half spread
-- The admin key comes from WALLET_BENCH_KEY (never on the command line); WALLET_BENCH_RUN makes
-- the ids of this run unique; WALLET_BENCH_TTL, if set, is every single reservation's
-- ttlSeconds (scenario x). done() prints one WRKRESULT line that Wrk.java parses.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  mode = os.getenv("WALLET_BENCH_MODE") or "hot"
  run = os.getenv("WALLET_BENCH_RUN") or "run"
  coldWallet = os.getenv("WALLET_BENCH_WALLET") or "bench-cold"
  headers = {
    ["Authorization"] = "Bearer " .. (os.getenv("WALLET_BENCH_KEY") or ""),
    ["Content-Type"] = "application/json",
  }
  n = 0
  ttl = os.getenv("WALLET_BENCH_TTL") and (',"ttlSeconds":' .. os.getenv("WALLET_BENCH_TTL")) or ""
  ok = 0
  other = 0
  first = ""
  math.randomseed(os.time() + tid * 7919)
end

local function nextId()
  n = n + 1
  return run .. "-" .. tid .. "-" .. n
end

local function reserve(wallet)
  return wrk.format("POST", "/v1/wallets/" .. wallet .. "/reservations", headers,
    '{"reservationId":"' .. nextId() .. '","lines":[{"category":"sms","amount":1}]' .. ttl .. '}')
end

local function batch(prefix)
  local items = {}
  for i = 0, 999 do
    items[#items + 1] = string.format('{"walletId":"%s%03d","op":"reserve","body":{"reservationId":"%s","lines":[{"category":"sms","amount":1}]}}',
      prefix, i % 100, nextId())
  end
  return wrk.format("POST", "/v1/batch", headers, '{"requests":[' .. table.concat(items, ",") .. ']}')
end

local function spreadWallet()
  return string.format("bench-w-%04d", math.random(0, 999))
end

function request()
  if mode == "hot" then return reserve("bench-hot") end
  if mode == "cold" then return reserve(coldWallet) end
  if mode == "spread" then return reserve(spreadWallet()) end
  if mode == "batch" then return batch("bench-b-") end
  local r = math.random(1, 100)
  if r == 1 then return batch("bench-wb-") end
  if r <= 50 then return reserve("bench-warm-hot") end
  return reserve(spreadWallet())
end

function response(status, headers, body)
  if status ~= 200 or not body or string.sub(body, 1, 12) ~= '{"results":[' then
    if status == 201 then ok = ok + 1 else
      other = other + 1
      if first == "" then first = tostring(status) .. " " .. (string.match(body or "", '"code"%s*:%s*"([A-Z_]+)"') or "") end
    end
    return
  end
  for s, pos in string.gmatch(body, '{"status":(%d+)()') do
    if s == "201" then ok = ok + 1 else
      other = other + 1
      if first == "" then first = s .. " " .. (string.match(body, '"code"%s*:%s*"([A-Z_]+)"', pos) or "") end
    end
  end
end

function done(summary, latency, requests)
  local okAll, otherAll, firstAll = 0, 0, ""
  for _, t in ipairs(threads) do
    okAll = okAll + (t:get("ok") or 0)
    otherAll = otherAll + (t:get("other") or 0)
    if firstAll == "" then firstAll = t:get("first") or "" end
  end
  local e = summary.errors
  io.write(string.format("WRKRESULT requests=%d duration_us=%d ok=%d other=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p99_us=%d first=%s\n",
    summary.requests, summary.duration, okAll, otherAll, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), (string.gsub(firstAll, " ", "+"))))
end
