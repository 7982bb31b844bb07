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
# DURATION (default 5s, per window), WARMUP (3s, per target and load),
# ROUNDS (8 windows per target and load, in ABBA order), PIN (set: the servers
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
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-8}
command -v wrk >/dev/null || { echo "wrk.sh: wrk not found (apt-get install -y wrk)" >&2; exit 1; }

tmp=$(mktemp -d)
declare -A pid
cleanup() {
	for p in "${pid[@]}"; do kill -INT "$p" 2>/dev/null || true; done
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

declare -A port=([vigil]=18181 [bare]=18182 [touched]=18183 [offheap]=18184)
vport=${port[vigil]}
"${server[@]}" "$tmp/vigil" serve --addr 127.0.0.1:$vport --db "$DB" 2> "$tmp/vigil.log" &
pid[vigil]=$!
"${server[@]}" "$tmp/lookupbench" bare --addr 127.0.0.1:${port[bare]} 2> "$tmp/bare.log" &
pid[bare]=$!
targets="bare vigil"
if [ -n "${TOUCH:-}" ]; then
	"${server[@]}" "$tmp/lookupbench" bare --addr 127.0.0.1:${port[touched]} --touch "$TOUCH" 2> "$tmp/touched.log" &
	pid[touched]=$!
	"${server[@]}" "$tmp/lookupbench" bare --addr 127.0.0.1:${port[offheap]} --touch "$TOUCH" --offheap 2> "$tmp/offheap.log" &
	pid[offheap]=$!
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
echo "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')${PIN:+ on CPU 0, the servers on CPU 1}, one thread; per load, $WARMUP of warm-up per target, then $ROUNDS rounds of $DURATION per target in ABBA order ($targets, then the reverse); $N indicators${TOUCH:+; touched (offheap): the bare handler reading one random word of $TOUCH MB per request, on the Go heap (mapped outside it)}."
echo
echo "| target | connections | round | requests/s | p50 | p90 | p99 | non-2xx | server CPU per request |"
echo "|---|---|---|---|---|---|---|---|---|"
# Each load is measured in ROUNDS short windows per target, in ABBA order
# (bare, vigil, vigil, bare, ...): the host's drift over a round cancels
# within it, and a window disturbed by another tenant is one of many. The
# ratio judged is the median of the rounds' ratios; the pooled ratio (all
# requests over all windows) and the CPU each server spent per request
# (utime + stime from /proc, over the same windows) are shown beside it.
rows="$tmp/rows"
: > "$rows"
hz=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
for c in $CONNS; do
	for t in $targets; do
		PATHS="$tmp/paths" "${client[@]}" wrk -t1 -c"$c" -d"$WARMUP" -s "$tmp/lookup.lua" "http://127.0.0.1:${port[$t]}" >/dev/null
	done
	for r in $(seq "$ROUNDS"); do
		order=$targets
		if [ $((r % 2)) = 0 ]; then order=$(echo "$targets" | tr ' ' '\n' | tac | tr '\n' ' '); fi
		for t in $order; do
			before=$(ticks "${pid[$t]}")
			PATHS="$tmp/paths" "${client[@]}" wrk -t1 -c"$c" -d"$DURATION" --latency -s "$tmp/lookup.lua" "http://127.0.0.1:${port[$t]}" > "$tmp/out"
			after=$(ticks "${pid[$t]}")
			# requests, seconds, p50, p90, p99 (ms), non-2xx, CPU µs per request
			awk -v t="$t" -v c="$c" -v r="$r" -v cpu=$((after - before)) -v hz="$hz" '
				function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; return v * 1000 }
				/ requests in / { n = $1; s = $4; sub(/s,$/, "", s) }
				$1 == "50%" { p50 = ms($2) } $1 == "90%" { p90 = ms($2) } $1 == "99%" { p99 = ms($2) }
				/Non-2xx/ { bad = $NF }
				END { printf "%s %s %s %d %.3f %.3f %.3f %.3f %d %.2f\n", t, c, r, n, s, p50, p90, p99, bad, cpu * 1e6 / hz / n }' "$tmp/out" >> "$rows"
			tail -1 "$rows" | awk '{ printf "| %s | %s | %s | %d | %.2f ms | %.2f ms | %.2f ms | %d | %.1f µs |\n", $1, $2, $3, $4 / $5, $6, $7, $8, $9, $10 }'
		done
	done
done
echo
echo "| target | connections | target ÷ bare: median of rounds | min | max | pooled | CPU per request ÷ bare's | p99, median of rounds (worst) | bare's p99 (worst) |"
echo "|---|---|---|---|---|---|---|---|---|"
for t in $targets; do
	[ "$t" = bare ] && continue
	for c in $CONNS; do
		awk -v t="$t" -v c="$c" '
			function median(a, n,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
				return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
			$2 != c { next }
			$1 == "bare" { br[$3] = $4 / $5; bn += $4; bs += $5; bc += $4 * $10; bp[$3] = $8; bw = $8 > bw ? $8 : bw }
			$1 == t { tr[$3] = $4 / $5; tn += $4; ts += $5; tc += $4 * $10; tp[$3] = $8; tw = $8 > tw ? $8 : tw }
			END {
				for (r in tr) { k++; q[k] = tr[r] / br[r]; lo = (k == 1 || q[k] < lo) ? q[k] : lo; hi = q[k] > hi ? q[k] : hi; p[k] = tp[r]; o[k] = bp[r] }
				printf "| %s | %s | **%.2fx** | %.2fx | %.2fx | %.2fx | %.2f | %.2f ms (%.2f) | %.2f ms (%.2f) |\n", t, c, median(q, k), lo, hi, (tn / ts) / (bn / bs), (tc / tn) / (bc / bn), median(p, k), tw, median(o, k), bw }' "$rows"
	done
done
