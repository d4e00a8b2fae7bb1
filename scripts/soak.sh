#!/usr/bin/env bash
# Soak test: thousands of generated dossier files, with about 2% faulty files mixed in, fed
# into drop/ in batches while `dossierkluis ingest --watch` runs. Afterwards every input must
# be stored or quarantined (counts match, nothing left in drop/), `audit verify` must pass,
# and the watcher's memory must stay bounded (its resident size is sampled every second and
# reported against the input size).
#
# Usage: scripts/soak.sh [CASES] [OUT]      (default 800 cases in /tmp/dk-soak)
# Needs: ../shared/corpus/gen_dev.py (the generator of the synthetic corpus; pip install reportlab
# for its PDFs), python3, age.
# Environment: BATCH (files per batch, default 250), PAUSE (seconds between batches, 2),
# FAULT_PERCENT (2), JOBS (passed as --jobs when the binary has it), BIN (a built binary).
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-800}
OUT=${2:-/tmp/dk-soak}
BATCH=${BATCH:-250}
PAUSE=${PAUSE:-2}
FAULT_PERCENT=${FAULT_PERCENT:-2}
SHARED=../shared/corpus
# BIN: the binary to soak (default: build this checkout).
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=target/release/dossierkluis
fi
rm -rf "$OUT"
mkdir -p "$OUT"
echo "== generating $CASES cases"
python3 "$SHARED/gen_dev.py" --cases "$CASES" --out "$OUT/gen" >/dev/null
install -m 600 "$SHARED/dev/keys/test-identity.txt" "$OUT/identity.txt"
"$BIN" init "$OUT/ws" --identity "$OUT/identity.txt" >/dev/null

# Inputs: the generated drop, plus faulty files (the expected quarantine code beside each).
mkdir -p "$OUT/inbox"
cp -r "$OUT/gen/drop/." "$OUT/inbox/"
python3 - "$OUT" "$FAULT_PERCENT" <<'PY'
import os, random, subprocess, sys, zlib
out, pct = sys.argv[1], float(sys.argv[2])
inbox = os.path.join(out, "inbox")
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(inbox) for f in fs)
n_faults = max(1, round(len(files) * pct / 100))
rng = random.Random(7)
recipient = subprocess.run(["age-keygen", "-y", os.path.join(out, "identity.txt")],
                           capture_output=True, text=True, check=True).stdout.strip()
other = subprocess.run(["age-keygen"], capture_output=True, text=True, check=True).stdout
other_recipient = [l.split(": ")[1] for l in other.splitlines() if "public key" in l][0]

def seal(data, path, to=recipient):
    subprocess.run(["age", "-r", to, "-o", path], input=data, check=True)

def pdf_without_text():
    # One page that only draws a rectangle: no text layer, so OCR would be needed.
    content = b"0 0 1 rg 100 100 300 400 re f"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    body, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    body += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return body

cases = sorted(d for d in os.listdir(inbox) if os.path.isdir(os.path.join(inbox, d)))
expected = []
for k in range(n_faults):
    case = rng.choice(cases)
    kind = ["empty", "truncated", "not_age", "wrong_recipient", "needs_ocr", "broken_pdf",
            "no_case_folder"][k % 7]
    name = f"zz-fault-{k:03d}-{kind}"
    path = os.path.join(inbox, case, name + ".age")
    if kind == "empty":
        open(path, "wb").close()
    elif kind == "truncated":
        src = rng.choice(files)
        data = open(src, "rb").read()
        open(path, "wb").write(data[: len(data) // 2])
    elif kind == "not_age":
        open(path, "wb").write(rng.randbytes(4096))
    elif kind == "wrong_recipient":
        seal(b"Dit bestand is voor een ander bedoeld.\n", path, other_recipient)
    elif kind == "needs_ocr":
        path = os.path.join(inbox, case, name + ".pdf.age")
        seal(pdf_without_text(), path)
    elif kind == "broken_pdf":
        path = os.path.join(inbox, case, name + ".pdf.age")
        seal(b"%PDF-1.7\n" + rng.randbytes(2048) + zlib.compress(b"x" * 1000), path)
    else:
        path = os.path.join(inbox, name + ".txt.age")
        seal(b"Een los bestand zonder dossiermap.\n", path)
    expected.append(kind)
open(os.path.join(out, "faults.txt"), "w").write("\n".join(expected) + "\n")
PY

total_files=$(find "$OUT/inbox" -type f | wc -l)
faults=$(wc -l <"$OUT/faults.txt")
input_mb=$(du -sm "$OUT/inbox" | cut -f1)
plain_mb=$(du -cm "$OUT"/gen/C*/*.pdf "$OUT"/gen/C*/*.txt 2>/dev/null | tail -1 | cut -f1)
echo "== inputs: $total_files files ($faults faulty), ${input_mb} MB encrypted"

jobs_flag=()
if [ -n "${JOBS:-}" ] && "$BIN" ingest --help | grep -q -- '--jobs'; then
  jobs_flag=(--jobs "$JOBS")
fi
start=$(date +%s)
/usr/bin/time -v -o "$OUT/time.txt" "$BIN" ingest "$OUT/ws" --watch --interval 1 "${jobs_flag[@]}" \
  >"$OUT/watch.log" 2>&1 &
watcher=$!
sleep 1
main_pid=$(pgrep -P "$watcher" | head -1 || true)
: >"$OUT/rss.txt"
(
  while kill -0 "$watcher" 2>/dev/null; do
    pid=$main_pid
    if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
      stored=$(find "$OUT/ws/archive" -type f 2>/dev/null | wc -l)
      echo "$(date +%s) $stored $(awk '/^VmRSS|^RssAnon/ {printf "%s ", $2}' "/proc/$pid/status")" >>"$OUT/rss.txt"
    fi
    sleep 1
  done
) &
sampler=$!

# Feed the inbox into drop/ in batches, each file by an atomic rename (same file system).
mapfile -t all < <(cd "$OUT/inbox" && find . -type f | sort -R --random-source=<(yes))
fed=0
for f in "${all[@]}"; do
  mkdir -p "$OUT/ws/drop/$(dirname "$f")"
  mv "$OUT/inbox/$f" "$OUT/ws/drop/$f"
  fed=$((fed + 1))
  if [ $((fed % BATCH)) -eq 0 ]; then sleep "$PAUSE"; fi
done
echo "== fed $fed files in $(($(date +%s) - start)) s; waiting for drop/ to empty"
settle=$(awk -F= '/^settle_seconds/ {gsub(/ /, "", $2); print $2}' "$OUT/ws/dossierkluis.toml")
deadline=$(($(date +%s) + 3600))
while [ "$(find "$OUT/ws/drop" -type f | wc -l)" -gt 0 ] && [ "$(date +%s)" -lt "$deadline" ]; do
  sleep 2
done
sleep $((settle + 3))
elapsed=$(($(date +%s) - start))
# Stop the watcher (ingest is crash-safe: whatever a run had not finished is redone next).
kill -TERM "${main_pid:-$watcher}" 2>/dev/null || true
wait "$watcher" 2>/dev/null || true
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true

# A last plain run must find nothing left to do.
final=$("$BIN" ingest "$OUT/ws")
left=$(find "$OUT/ws/drop" -type f | wc -l)
stored=$(find "$OUT/ws/archive" -type f | wc -l)
reasons=$(find "$OUT/ws/quarantine" -type f -name '*.reason.json' | wc -l)
# Per input file: one `quarantined` event each (files with the same content share one entry in
# quarantine/, as the 0-byte ones do) and one `archived` event per stored document.
read -r quarantined archived_events < <(python3 - "$OUT/ws/audit/audit.jsonl" <<'PY'
import json, sys
q = a = 0
for line in open(sys.argv[1]):
    kind = json.loads(line).get("kind")
    q += kind == "quarantined"
    a += kind == "archived"
print(q, a)
PY
)
verify=$("$BIN" audit verify "$OUT/ws" 2>&1 || true)
verify=${verify%%$'\n'*}
peak_kb=$(awk '/Maximum resident set size/ {print $6}' "$OUT/time.txt" 2>/dev/null || echo "?")
echo "== results after ${elapsed} s"
echo "inputs:       $total_files files (${input_mb} MB encrypted, about ${plain_mb} MB PDF and text)"
echo "stored:       $stored"
echo "quarantined:  $quarantined files in $reasons entries (faults mixed in: $faults)"
echo "archived events: $archived_events"
echo "left in drop: $left"
echo "final run:    $final"
echo "audit:        $verify"
echo "quarantine reasons:"
cat "$OUT"/ws/quarantine/*.reason.json 2>/dev/null | python3 -c '
import json, sys, collections
text = sys.stdin.read()
dec, i, counts = json.JSONDecoder(), 0, collections.Counter()
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    obj, i = dec.raw_decode(text, i)
    counts[obj.get("reason") or obj.get("code") or "?"] += 1
for k, v in sorted(counts.items()):
    print(f"  {k:18} {v}")'
echo "expected fault kinds:"
sort "$OUT/faults.txt" | uniq -c | sed 's/^/  /'
echo "memory: watcher peak RSS ${peak_kb} KiB (GNU time: the largest of the watcher and its extraction children)"
if [ -s "$OUT/rss.txt" ]; then
  python3 - "$OUT/rss.txt" "$total_files" <<'PY'
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 4]
total = int(sys.argv[2])
if rows:
    # RSS counts the mapped index files too (page cache the kernel can take back); the
    # anonymous part is the process's own memory.
    print("  watcher memory by progress (documents archived: RSS MiB / anonymous MiB):")
    for q in (0.1, 0.25, 0.5, 0.75, 1.0):
        r = rows[min(len(rows) - 1, int(q * (len(rows) - 1)))]
        print(f"    {r[1]:6d} of {total}: {r[2] / 1024:7.1f} / {r[3] / 1024:7.1f}")
    print(f"  max sampled: RSS {max(r[2] for r in rows) / 1024:.1f} MiB, anonymous {max(r[3] for r in rows) / 1024:.1f} MiB")
PY
fi
ok=1
[ "$left" -eq 0 ] || ok=0
[ $((stored + quarantined)) -eq "$total_files" ] || ok=0
[ "$archived_events" -eq "$stored" ] || ok=0
[ "$quarantined" -eq "$faults" ] || ok=0
case "$verify" in "audit log OK"*) ;; *) ok=0 ;; esac
if [ "$ok" -eq 1 ]; then
  echo "SOAK PASSED: every input stored or quarantined, audit verified"
else
  echo "SOAK FAILED: stored $stored + quarantined $quarantined vs $total_files inputs, $left left"
  exit 1
fi
