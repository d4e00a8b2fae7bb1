#!/usr/bin/env bash
# De-identification throughput of dossierkluis (one core, in process) beside deduce's on the
# same texts, measured in the same run. Needs ../shared (the dev corpus and the scorer) and
# `pip install deduce` for the reference.
set -euo pipefail
cd "$(dirname "$0")/.."
ours=$(taskset -c 0 cargo bench --bench deid -- --passes "${PASSES:-20}" 2>/dev/null | tee /dev/stderr | awk '/^MBPS/ {print $2}')
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
taskset -c 0 python3 ../shared/eval/score.py deid --corpus ../shared/corpus/dev --system deduce --repeat "${REPEAT:-3}" --json "$tmp" >/dev/null
theirs=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['timing']['mb_per_second'])" "$tmp")
python3 - "$ours" "$theirs" <<'PY'
import sys
ours, theirs = float(sys.argv[1]), float(sys.argv[2])
print(f"dossierkluis {ours:.2f} MB/s, deduce {theirs:.3f} MB/s (median pass, one core): {ours/theirs:.0f}x")
PY
