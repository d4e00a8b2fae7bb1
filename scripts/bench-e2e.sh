#!/usr/bin/env bash
# End-to-end ingest throughput, drop/ to indexed, against text extraction alone on the same files
# (benches/e2e.rs): once pinned to one core with one job, once on all cores with one job per core.
# Needs ../shared (the corpus generator), `pip install reportlab` (PDFs) and the `age` tool.
# CASES (default 40) sets the size of the drop; generated data stays in a folder under /tmp.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${CASES:-40}"
tmp=$(mktemp -d /tmp/dk-e2e.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
python3 ../shared/corpus/gen_dev.py --cases "$cases" --out "$tmp/corpus" >/dev/null
test -d "$tmp/corpus/drop" || { echo "no drop/ generated (is age installed?)" >&2; exit 1; }
install -m 600 "$tmp/corpus/keys/test-identity.txt" "$tmp/identity.txt"
cargo bench --bench e2e --no-run >/dev/null 2>&1
all=$(nproc)
echo "== one core, --jobs 1"
taskset -c 0 cargo bench --bench e2e -- --drop "$tmp/corpus/drop" --identity "$tmp/identity.txt" --jobs 1 2>/dev/null
echo "== all $all cores, --jobs $all"
cargo bench --bench e2e -- --drop "$tmp/corpus/drop" --identity "$tmp/identity.txt" --jobs "$all" 2>/dev/null
