#!/usr/bin/env bash
# bench/store/wrk.sh: the lookup API against the bare net/http handler, as
# bench/store/lookupbench measures it, but with wrk as the client: a C
# client costs far less CPU per request than the Go one, so on two shared
# cores more of the machine goes to the servers, as in production where
# clients are elsewhere. Same store, same queries (half loaded, half
# unknown, from lookupbench's generator), same bare handler.
#
# Needs wrk (Debian: apt-get install -y wrk) and a store filled by
# lookupbench: DB=path (e.g. the file bench/store/run.sh keeps with DB=...),
# N its number of indicators. Environment: CONNS (default "32 16 8 4"),
# DURATION (default 20s), WARMUP (5s), ROUNDS (2), PIN (set: the servers
# on CPU 1 and wrk on CPU 0, as if the client were another machine; without
# it all share both cores), TOUCH (megabytes: also measure the bare handler
# reading one random word of an array that large per request, on the Go
# heap, "touched", and mapped outside it as Vigil's index is, "offheap").
# Prints Markdown.
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"

: "${DB:?DB=path of a store filled by lookupbench}"
N=${N:-10000000}
CONNS=${CONNS:-32 16 8 4}
server=() client=()
if [ -n "${PIN:-}" ]; then server=(taskset -c 1) client=(taskset -c 0); fi
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
ROUNDS=${ROUNDS:-2}
command -v wrk >/dev/null || { echo "wrk.sh: wrk not found (apt-get install -y wrk)" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/vigil" ./cmd/vigil
go build -o "$tmp/lookupbench" ./bench/store/lookupbench
"$tmp/lookupbench" paths --n "$N" > "$tmp/paths"

cat > "$tmp/lookup.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
function setup(thread) thread:set("seed", math.random(1, 1e9)) end
function init(args) math.randomseed(seed or os.time()) end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
LUA

vport=18181 bport=18182
"${server[@]}" "$tmp/vigil" serve --addr 127.0.0.1:$vport --db "$DB" 2> "$tmp/vigil.log" &
pids+=($!)
"${server[@]}" "$tmp/lookupbench" bare --addr 127.0.0.1:$bport 2> "$tmp/bare.log" &
pids+=($!)
targets="bare vigil"
if [ -n "${TOUCH:-}" ]; then
	tport=18183
	"${server[@]}" "$tmp/lookupbench" bare --addr 127.0.0.1:$tport --touch "$TOUCH" 2> "$tmp/touched.log" &
	pids+=($!)
	oport=18184
	"${server[@]}" "$tmp/lookupbench" bare --addr 127.0.0.1:$oport --touch "$TOUCH" --offheap 2> "$tmp/offheap.log" &
	pids+=($!)
	targets="bare touched offheap vigil"
fi
echo "wrk.sh: waiting for vigil's lookup index" >&2
for _ in $(seq 600); do
	if curl -fsS "http://127.0.0.1:$vport/healthz" 2>/dev/null | grep -q '"lookup_index":"ready"'; then break; fi
	sleep 1
done
curl -fsS "http://127.0.0.1:$vport/healthz" | grep -q '"lookup_index":"ready"' || { echo "wrk.sh: index not ready" >&2; exit 1; }

echo "### Lookup API with wrk as the client, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')${PIN:+ on CPU 0, the servers on CPU 1}, one thread, $WARMUP warm-up + $DURATION per run, $ROUNDS rounds of $targets; $N indicators${TOUCH:+; touched (offheap): the bare handler reading one random word of $TOUCH MB per request, on the Go heap (mapped outside it)}."
echo
echo "| target | connections | round | requests/s | p50 | p90 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|---|---|"
declare -A sum worst
for c in $CONNS; do
	for r in $(seq "$ROUNDS"); do
		for t in $targets; do
			case $t in bare) port=$bport ;; touched) port=$tport ;; offheap) port=$oport ;; vigil) port=$vport ;; esac
			PATHS="$tmp/paths" "${client[@]}" wrk -t1 -c"$c" -d"$WARMUP" -s "$tmp/lookup.lua" "http://127.0.0.1:$port" >/dev/null
			PATHS="$tmp/paths" "${client[@]}" wrk -t1 -c"$c" -d"$DURATION" --latency -s "$tmp/lookup.lua" "http://127.0.0.1:$port" > "$tmp/out"
			rps=$(awk '/^Requests\/sec/ {print $2}' "$tmp/out")
			p50=$(awk '$1 == "50%" {print $2}' "$tmp/out")
			p90=$(awk '$1 == "90%" {print $2}' "$tmp/out")
			p99=$(awk '$1 == "99%" {print $2}' "$tmp/out")
			bad=$(awk '/Non-2xx/ {print $NF}' "$tmp/out")
			echo "| $t | $c | $r | ${rps%.*} | $p50 | $p90 | $p99 | ${bad:-0} |"
			sum[$t$c]=$(python3 -c "print(${sum[$t$c]:-0} + $rps)")
			worst[$t$c]=$(python3 -c "
u = {'us': 1e-3, 'ms': 1, 's': 1e3}
v = '$p99'; n = v.rstrip('mus')
print(max(${worst[$t$c]:-0}, float(n) * u[v[len(n):]]))")
		done
	done
done
echo
for c in $CONNS; do
	python3 -c "print('vigil ÷ bare, %s connections: **%.2fx**; p99 of the worst round: vigil **%.2f ms**, bare %.2f ms' % ('$c', ${sum[vigil$c]} / ${sum[bare$c]}, ${worst[vigil$c]}, ${worst[bare$c]}))"
	echo
done
