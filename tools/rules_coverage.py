#!/usr/bin/env python3
"""Recall check of the redaction-rules lists against the gold annotations of a corpus.

    python3 tools/rules_coverage.py [/work/shared/corpus/dev]

Prints only aggregate counts (never a name from the corpus), so its output can be pasted in a
report. It reads the corpus at run time; nothing from the corpus is ever written to the lists.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LISTS = ROOT / "redaction-rules" / "lists"


def entries(name: str) -> set[str]:
    p = LISTS / name
    if not p.exists():
        return set()
    return {l.strip() for l in p.read_text(encoding="utf-8").splitlines()
            if l.strip() and not l.startswith("#")}


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    corpus = Path(args[0]) if args else ROOT.parent / "shared" / "corpus" / "dev"
    if not corpus.exists():
        print(f"corpus not found at {corpus}; skipped")
        return 0
    first = entries("voornamen.txt")
    last = entries("achternamen.txt")
    particles = {p.lower() for p in entries("tussenvoegsels.txt")}
    places = entries("plaatsen.txt")
    inst = entries("instellingen.txt") | entries("instellingen-extra.txt")
    low = lambda s: {x.casefold() for x in s}  # noqa: E731
    first_l, last_l, places_l, inst_l = low(first), low(last), low(places), low(inst)

    g_first, g_last, g_single, g_place, g_inst = set(), set(), set(), set(), set()
    for gold in sorted(corpus.glob("C*/*.gold.json")):
        data = json.loads(gold.read_text(encoding="utf-8"))
        for sp in data.get("spans", []):
            text, cat = sp.get("text", ""), sp.get("category")
            if cat == "NAAM":
                text = text.strip()
                if text.isupper():
                    text = text.title()
                if "," in text:  # "Surname, First Names"
                    sur, _, given = text.partition(",")
                    text = given.strip() + " " + sur.strip()
                toks = [t for t in re.split(r"\s+", text) if t]
                toks = [t for t in toks if t.lower().strip(".,") not in
                        {"dhr", "mevr", "mw", "mr", "dr", "drs", "hr", "fam", "meneer", "mevrouw"}]
                # drop particles (also multiword ones) and initials
                core = [t for t in toks if t.lower() not in particles and not re.match(r"^([A-Z]\.)+$", t)]
                # a particle made of several tokens ("van der") leaves single lowercase tokens
                core = [t for t in core if not t[:1].islower()]
                if not core:
                    continue
                initials = any(re.match(r"^([A-Z]\.)+$", t) for t in toks)
                if len(core) == 1 and initials and re.match(r"^([A-Z]\.)+$", toks[-1]):
                    g_first.add(core[0])  # "Femke W.": a first name followed by an initial
                elif len(core) == 1:
                    if initials or len(toks) > 1:
                        for part in core[0].split("-"):
                            if len(part) >= 2:
                                g_last.add(part)
                    else:
                        g_single.add(core[0])
                else:
                    g_first.add(core[0])
                    for part in core[-1].split("-"):
                        if len(part) >= 2:
                            g_last.add(part)
            elif cat == "WOONPLAATS":
                g_place.add(text.strip())
            elif cat == "INSTELLING":
                g_inst.add(text.strip())

    def share(gold: set[str], lst: set[str], lst_l: set[str]) -> str:
        if not gold:
            return "n/a"
        exact = sum(1 for g in gold if g in lst)
        ci = sum(1 for g in gold if g.casefold() in lst_l)
        return f"{exact}/{len(gold)} exact ({100*exact/len(gold):.0f}%), {ci}/{len(gold)} case-insensitive"

    def contains(gold: set[str], lst_l: set[str]) -> str:
        if not gold:
            return "n/a"
        hits = 0
        for g in gold:
            gl = g.casefold()
            if any(len(e) >= 4 and e in gl and re.search(r"(?<!\w)" + re.escape(e) + r"(?!\w)", gl) for e in lst_l):
                hits += 1
        return f"{hits}/{len(gold)} contain a list entry"

    print(f"NAAM first-name tokens in voornamen.txt:  {share(g_first, first, first_l)}")
    print(f"NAAM surname tokens in achternamen.txt:   {share(g_last, last, last_l)}")
    both, both_l = first | last, first_l | last_l
    print(f"NAAM single-token names in either list:   {share(g_single, both, both_l)}")
    print(f"WOONPLAATS in plaatsen.txt:               {share(g_place, places, places_l)}")
    print(f"INSTELLING in instellingen(+extra).txt:   {share(g_inst, inst, inst_l)}")
    print(f"INSTELLING (substring match):             {contains(g_inst, inst_l)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
