#!/usr/bin/env python3
"""Measures the residual-risk scanner against a gold corpus (issue 6, point 4).

Usage:
  tools/measure_residual_risk.py WORKSPACE CORPUS [--bin target/release/dossierkluis]
         [--scan-bin target/release/examples/risk_scan] [--show N]

WORKSPACE must hold the corpus ingested (init --identity <corpus>/keys/..., drop/* copied,
ingest). Store case ids are keyed pseudonyms, so documents are matched to the corpus through
the manifests' ciphertext hashes (sha256 of <corpus>/drop/<case>/<file>).

1. Misses: gold identifiers (not DATUM) whose text is still readable (case-insensitive, whole
   word, any whitespace) in the stored pseudonymised text of their document.
2. Of those, the share the scanner flags (a risk overlapping an occurrence), from
   `dossierkluis audit report WS --json`.
3. False alarms: risks that overlap no occurrence of any gold identifier of the case.
4. Proxy on the RAW .txt files: share of gold identifiers (not DATUM) the scanner flags when run
   on the original text (via the `risk_scan` example), and its false alarms there.

Prints figures only; with --show N also up to N missed / false-alarm tokens per list (these
come from the synthetic corpus, never from real data).
"""

import argparse
import collections
import hashlib
import json
import os
import re
import subprocess
import sys


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def occurrences(text, needle):
    """Character spans of whole-word, case-insensitive occurrences (whitespace flexible)."""
    parts = [re.escape(p) for p in needle.split()]
    if not parts:
        return []
    pat = r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pat, text, re.IGNORECASE)]


def byte_to_char(text):
    """Map from UTF-8 byte offset to character offset."""
    m = {}
    b = 0
    for i, ch in enumerate(text):
        m[b] = i
        b += len(ch.encode("utf-8"))
    m[b] = len(text)
    return m


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def score(docs, show):
    """docs: list of (label, text, gold_spans, risks_char_spans, case_gold_texts)."""
    gold_total = 0
    gold_flagged = 0
    risks_total = 0
    false_alarms = 0
    false_alarms_lenient = 0
    missed_examples = collections.Counter()
    fa_examples = collections.Counter()
    per_cat = collections.defaultdict(lambda: [0, 0])
    for label, text, gold, risks, case_texts in docs:
        gold_words = {w.lower() for t in case_texts for w in re.findall(r"\w{2,}", t)}
        occ_all = []
        for t in case_texts:
            occ_all.extend(occurrences(text, t))
        for g in gold:
            occ = occurrences(text, g["text"])
            if not occ:
                continue
            gold_total += 1
            hit = any(overlaps(o, r) for o in occ for r in risks)
            per_cat[g["category"]][0] += 1
            if hit:
                gold_flagged += 1
                per_cat[g["category"]][1] += 1
            else:
                missed_examples[(g["category"], g["text"])] += 1
        for r in risks:
            risks_total += 1
            if not any(overlaps(o, r) for o in occ_all):
                false_alarms += 1
                words = {w.lower() for w in re.findall(r"\w{2,}", text[r[0]:r[1]])}
                if not words & gold_words:
                    false_alarms_lenient += 1
                    fa_examples[text[r[0]:r[1]]] += 1
    return {
        "gold_readable": gold_total,
        "flagged": gold_flagged,
        "share": (gold_flagged / gold_total) if gold_total else None,
        "risks": risks_total,
        # Flags overlapping no whole gold identifier of the case.
        "false_alarms": false_alarms,
        # Flags holding no word of any gold identifier of the case (a flag on a partly
        # replaced identifier, e.g. the second word of a provider name, is not counted).
        "false_alarms_not_on_gold_word": false_alarms_lenient,
        "per_category": {k: {"readable": v[0], "flagged": v[1]} for k, v in sorted(per_cat.items())},
        "missed_examples": missed_examples.most_common(show),
        "false_alarm_examples": fa_examples.most_common(show),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workspace")
    ap.add_argument("corpus")
    ap.add_argument("--bin", default="target/release/dossierkluis")
    ap.add_argument("--scan-bin", default="target/release/examples/risk_scan")
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    ws, corpus = args.workspace, args.corpus

    # ciphertext hash -> (corpus case, document stem)
    by_sha = {}
    drop = os.path.join(corpus, "drop")
    for case in sorted(os.listdir(drop)):
        for f in sorted(os.listdir(os.path.join(drop, case))):
            stem = f.split(".")[0]
            by_sha[sha256(os.path.join(drop, case, f))] = (case, stem)

    report = json.loads(
        subprocess.run(
            [args.bin, "audit", "report", ws, "--json"], check=True, capture_output=True, text=True
        ).stdout
    )
    risks_by_doc = {}
    for c in report["case_reports"]:
        for d in c["documents"]:
            risks_by_doc[(c["case_id"], d["doc_id"])] = [(r["start"], r["end"]) for r in d["risks"]]

    def gold_of(case, stem, dates=False):
        with open(os.path.join(corpus, case, stem + ".gold.json"), encoding="utf-8") as f:
            return [s for s in json.load(f)["spans"] if dates or s["category"] != "DATUM"]

    case_gold_texts = collections.defaultdict(set)
    for case in sorted(os.listdir(drop)):
        for f in os.listdir(os.path.join(corpus, case)):
            if f.endswith(".gold.json"):
                # Dates count as annotated for false alarms (a flagged date is no false alarm:
                # stored text should only hold month and year), not as identifiers to find.
                for s in gold_of(case, f[: -len(".gold.json")], dates=True):
                    case_gold_texts[case].add(s["text"])

    stored_docs = []
    unmatched = 0
    store = os.path.join(ws, "store")
    for store_case in sorted(os.listdir(store)):
        with open(os.path.join(store, store_case, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        for sha, doc_id in sorted(manifest["documents"].items()):
            if sha not in by_sha:
                unmatched += 1
                continue
            case, stem = by_sha[sha]
            with open(os.path.join(store, store_case, "docs", doc_id + ".txt"), encoding="utf-8") as f:
                text = f.read()
            b2c = byte_to_char(text)
            risks = [(b2c[s], b2c[e]) for s, e in risks_by_doc.get((store_case, doc_id), [])]
            stored_docs.append((f"{case}/{stem}", text, gold_of(case, stem), risks, case_gold_texts[case]))

    stored = score(stored_docs, args.show)

    raw_docs = []
    txts = []
    for case in sorted(os.listdir(drop)):
        for f in sorted(os.listdir(os.path.join(corpus, case))):
            if f.endswith(".txt"):
                txts.append((case, f[:-4], os.path.join(corpus, case, f)))
    out = subprocess.run(
        [args.scan_bin] + [p for _, _, p in txts], check=True, capture_output=True, text=True
    ).stdout
    scans = {json.loads(l)["file"]: json.loads(l)["risks"] for l in out.splitlines() if l.strip()}
    for case, stem, p in txts:
        with open(p, encoding="utf-8") as f:
            text = f.read()
        b2c = byte_to_char(text)
        risks = [(b2c[r["start"]], b2c[r["end"]]) for r in scans[p]]
        raw_docs.append((f"{case}/{stem}", text, gold_of(case, stem), risks, case_gold_texts[case]))
    raw = score(raw_docs, args.show)

    print(json.dumps({
        "stored_documents": len(stored_docs),
        "unmatched_documents": unmatched,
        "stored": stored,
        "raw": raw,
    }, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
