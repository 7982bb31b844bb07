#!/usr/bin/env bash
# bench/callgrind.sh: instructions of one cold extraction pass over the bench
# corpus (BenchmarkExtractCorpusCold, one pass), counted by valgrind's
# callgrind inside Extractor.extract only, so that the corpus loading is left
# out. A deterministic measure on a shared, noisy machine: compare two
# builds by it, then confirm with bench/run.sh.
#
#   bench/callgrind.sh [OUT.callgrind]     # prints the count; keeps OUT for callgrind_annotate
#
# The collector is off (GOGC=off) so that the count does not depend on when
# collections happen; allocation is measured separately with -benchmem.
# Asynchronous preemption is off because callgrind cannot follow its signals.
# The first pass of a process also compiles libphonenumber's patterns
# (about 50 M instructions), which later passes, and bench/run.sh's best
# pass, do not pay.
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
out=${1:-$(mktemp --suffix=.callgrind)}
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
go test -c -o "$bin" ./internal/extract
cd internal/extract
GOGC=off GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 valgrind --tool=callgrind --callgrind-out-file="$out" \
	--toggle-collect='vigil/internal/extract.(*Extractor).extract' \
	"$bin" -test.run '^$' -test.bench '^BenchmarkExtractCorpusCold$' -test.benchtime 1x 2>&1 | grep -E 'Collected'
echo "profile: $out (callgrind_annotate --auto=no $out | head -40)"
