#!/usr/bin/env bash
# Throughput of a local cluster of 1, 2, 3... nodes on this machine, for the README's operations
# table. For each N: `bin/wallet cluster N` (a local Cassandra and N node JVMs on loopback), 1,000
# wallets, then single reservations of 1 credit on random wallets (the bench's "spread" mode),
# from wrk with the same total connections spread evenly over the nodes' HTTP ports. Every
# request for a wallet owned by another node is forwarded by sharding, as in production.
#
#   loadtest/cluster-throughput.sh [--nodes 1,2,3] [--warmup S] [--seconds S] [--connections C]
#
# Needs wrk (bin/wallet bench --install installs it). Prints one line per N and stops everything
# it started, also on Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODES="1,2,3"; WARMUP=60; SECONDS_MEASURED=30; CONNECTIONS=12
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --seconds) SECONDS_MEASURED="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    *) echo "usage: $0 [--nodes 1,2,3] [--warmup S] [--seconds S] [--connections C]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: run bin/wallet bench --install, or apt-get install wrk" >&2; exit 1; }

SCRIPT="$ROOT/loadtest/bench/src/main/resources/com/creditwallet/bench/wallet-load.lua"
WORK="$(mktemp -d /tmp/wallet-cluster-throughput-XXXXXX)"
BASE_HTTP=38080
export WALLET_HTTP_PORT=$BASE_HTTP WALLET_REMOTE_PORT=38551 WALLET_MANAGEMENT_PORT=38558
export WALLET_CASSANDRA_PORT=39042 WALLET_CASSANDRA_STORAGE_PORT=39043
# A fresh key per run, kept in the environment only (never on a command line).
WALLET_ADMIN_KEY="throughput-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export WALLET_ADMIN_KEY WALLET_BENCH_KEY="$WALLET_ADMIN_KEY"

CLUSTER=""
stop_cluster() {
  if [ -n "$CLUSTER" ]; then
    kill "$CLUSTER" 2>/dev/null || true
    wait "$CLUSTER" 2>/dev/null || true
    CLUSTER=""
  fi
}
trap 'stop_cluster; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

say() { echo "[cluster-throughput] $*" >&2; }

create_wallet() {
  curl -s -o /dev/null -w '%{http_code}\n' -X PUT -H "Authorization: Bearer $WALLET_ADMIN_KEY" \
    -H 'Content-Type: application/json' "http://127.0.0.1:$1/v1/wallets/$2" \
    -d '{"overdraft": {"sms": 1000000000}}'
}
export -f create_wallet

echo "nodes  connections  reservations/s  p50 ms  p99 ms  failed"
for n in ${NODES//,/ }; do
  export WALLET_DATA_DIR="$WORK/data-$n"
  say "starting a cluster of $n (log $WALLET_DATA_DIR/cluster.log) ..."
  mkdir -p "$WALLET_DATA_DIR"
  "$ROOT/bin/wallet" cluster "$n" > "$WALLET_DATA_DIR/cluster.log" 2>&1 &
  CLUSTER=$!
  deadline=$((SECONDS + 600))
  until [ "$(grep -c ' ready: ' "$WALLET_DATA_DIR/cluster.log" || true)" -ge "$n" ]; do
    if ! kill -0 "$CLUSTER" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      say "the cluster of $n did not get ready; see $WALLET_DATA_DIR/cluster.log"; exit 1
    fi
    sleep 1
  done
  say "creating 1,000 wallets ..."
  seq -f 'bench-w-%04g' 0 999 | awk -v n="$n" -v p="$BASE_HTTP" '{print p + (NR % n), $0}' \
    | xargs -P 8 -n 2 bash -c 'create_wallet "$0" "$1"' | sort | uniq -c | grep -v ' 201$' && \
    { say "some wallets were not created"; exit 1; } || true
  per=$((CONNECTIONS / n))
  [ "$per" -ge 2 ] || { say "--connections must be at least 2 per node"; exit 1; }
  run() { # $1 phase name, $2 seconds: one wrk per node, all at once; prints their WRKRESULT lines
    local pids=() i
    rm -f "$WORK"/wrk-"$1"-*.out # a larger N before (--nodes 3,1) must not leave its files in this sum
    for ((i = 0; i < n; i++)); do
      WALLET_BENCH_MODE=spread WALLET_BENCH_RUN="$1-$n-$i" wrk -t2 -c"$per" -d"$2"s --timeout 30s -s "$SCRIPT" \
        "http://127.0.0.1:$((BASE_HTTP + i))" > "$WORK/wrk-$1-$i.out" 2>&1 &
      pids+=($!)
    done
    wait "${pids[@]}"
    cat "$WORK"/wrk-"$1"-*.out | grep WRKRESULT
  }
  say "warming up for ${WARMUP} s, then measuring ${SECONDS_MEASURED} s ..."
  run warm "$WARMUP" > /dev/null
  run meas "$SECONDS_MEASURED" | python3 -c "
import sys, re
ok = other = 0; p50 = []; p99 = []
for line in sys.stdin:
    f = dict(kv.split('=', 1) for kv in line.split()[1:])
    ok += int(f['ok']); other += int(f['other']) + sum(int(f[k]) for k in ('connect', 'read', 'write', 'timeout'))
    p50.append(int(f['p50_us']) / 1000); p99.append(int(f['p99_us']) / 1000)
print(f'{$n:>5}  {$per * $n:>11}  {ok / $SECONDS_MEASURED:>14,.0f}  {max(p50):>6.1f}  {max(p99):>6.1f}  {other:>6}')
"
  stop_cluster
done
