#!/usr/bin/env bash
# bench/store/run.sh: the store's measurable promises, in one run.
#   (a) import rate: AddListed against a raw SQLite insert of the same rows
#       (the FTC numbers; go test -bench in internal/store/sqlstore);
#   (b) the lookup API on a store of N indicators (default 10,000,000)
#       against a bare net/http handler, and the server's resident memory
#       (bench/store/lookupbench).
# Prints Markdown for docs/benchmarks.md on stdout, progress on stderr.
# Needs the shared data (../shared/data or $VIGIL_DATA) for (a) and about
# 150 bytes of disk per indicator for (b), in a temporary directory that is
# removed at the end. Run from anywhere in the repository.
#
# Environment: N (indicators), DURATION (of each window, default 5s),
# ROUNDS (rounds of a window per server at every load, the servers and the
# loads in ABBA order, default 8), WARMUP (per server, default 3s), CONC
# (client workers; a list of loads, default 32,16,8,4: from past
# saturation down to light load, the latency curve), DB (keep the store in
# this file instead, to reuse it), PROFILE (also write a CPU profile of
# Vigil's API under the same load to it).
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"

N=${N:-10000000}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-8}
WARMUP=${WARMUP:-3s}
CONC=${CONC:-32,16,8,4}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
DB=${DB:-$tmp/lookup.db}

need=$((N * 150 / 1024))
avail=$(df -Pk "$(dirname "$DB")" | awk 'NR == 2 { print $4 }')
if [ "$avail" -lt "$need" ]; then
	echo "run.sh: $(dirname "$DB") has $((avail / 1024)) MiB free; $N indicators need about $((need / 1024)) MiB" >&2
	exit 1
fi

go build -o "$tmp/vigil" ./cmd/vigil
go build -o "$tmp/lookupbench" ./bench/store/lookupbench

echo "## Store benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# (a) Import rate. Each iteration imports every FTC number into a fresh file.
go test ./internal/store/sqlstore -run '^$' -bench 'AddListed|RawInsert' -benchtime 3x | tee "$tmp/import.txt" >&2
if [ "$(grep -c 'rows/s' "$tmp/import.txt")" -ne 2 ]; then
	echo "run.sh: the import benchmarks did not run: they read the FTC numbers from the shared data (../shared/data beside the repository, or \$VIGIL_DATA)" >&2
	exit 1
fi
echo "### Import rate (FTC Do Not Call numbers, batches of 2000, WAL, synchronous=FULL, fresh file per iteration, 3 iterations)"
echo
awk '/^Benchmark(AddListed|RawInsert)/ { name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
		for (i = 1; i <= NF; i++) if ($(i+1) == "rows/s") r[name] = $i }
	END {
		print "| import | rows/s | AddListed ÷ raw | target |"
		print "|---|---|---|---|"
		printf "| raw INSERT (database/sql, same driver and pragmas, plain table) | %d | | |\n", r["RawInsert"]
		printf "| store AddListed | %d | **%.2fx** | >= 0.5x |\n", r["AddListed"], r["AddListed"] / r["RawInsert"]
	}' "$tmp/import.txt"
echo

# (b) Lookups on a large store, and memory.
"$tmp/lookupbench" --n "$N" --db "$DB" --bin "$tmp/vigil" --duration "$DURATION" --rounds "$ROUNDS" --warmup "$WARMUP" --conc "$CONC" \
	${PROFILE:+--cpuprofile "$PROFILE"}
