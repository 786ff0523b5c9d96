#!/usr/bin/env python3
"""Converts the openly licensed sentiment lexicons into the compact TSV files that the engagement
service compiles into its binary (include_str!), so that nothing parses XML at run time.

Usage: scripts/gen-sentiment-lexicons.py [source dir]
  source dir: $HRMESH_LEXICON_DIR, else ../shared/data/lexicons next to the repository.

Writes services/engagement/data/lexicons/:
  en-vader.tsv        word<TAB>valence (-4..+4): VADER's mean human rating
  en-vader-emoji.tsv  emoji<TAB>English description (scored through en-vader.tsv)
  nl-pattern.tsv      word<TAB>polarity (-1..+1): mean over the word's senses in pattern's nl lexicon
  de-gpl.tsv          word<TAB>polarity (-1..+1): German Polarity Lexicon via textblob-de

Words are lower-cased (German keeps its umlauts and ß); words whose polarity is 0 are dropped;
rows are sorted, so a re-run on the same input gives byte-identical files.
"""

import os
import statistics
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "services" / "engagement" / "data" / "lexicons"


def source_dir() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    if os.environ.get("HRMESH_LEXICON_DIR"):
        return Path(os.environ["HRMESH_LEXICON_DIR"])
    return ROOT.parent / "shared" / "data" / "lexicons"


def write_tsv(name: str, rows: dict) -> None:
    path = OUT / name
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for key in sorted(rows):
            out.write(f"{key}\t{rows[key]}\n")
    print(f"{path.relative_to(ROOT)}: {len(rows)} rows", file=sys.stderr)


def number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def vader(src: Path) -> dict:
    rows = {}
    for line in (src / "en-vader-lexicon.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        word, mean = line.split("\t")[:2]
        if "\t" in word or " " in word or not word:
            continue
        rows[word] = number(float(mean))
    return rows


def emoji(src: Path) -> dict:
    rows = {}
    for line in (src / "en-vader-emoji.txt").read_text(encoding="utf-8").splitlines():
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 2 and parts[0] and parts[1].strip():
            rows[parts[0]] = parts[1].strip()
    return rows


def xml_polarities(path: Path) -> dict:
    """Mean polarity per lower-cased form, over all senses (as pattern does); zero dropped."""
    senses: dict = {}
    for word in ET.parse(path).getroot().iter("word"):
        form = (word.get("form") or "").strip().lower()
        if not form or " " in form or "\t" in form:
            continue
        senses.setdefault(form, []).append(float(word.get("polarity") or 0))
    rows = {}
    for form, values in senses.items():
        mean = statistics.fmean(values)
        if abs(mean) >= 0.05:
            rows[form] = number(mean)
    return rows


def main() -> None:
    src = source_dir()
    if not (src / "SOURCE.md").exists():
        sys.exit(f"no lexicons at {src} (give the directory with SOURCE.md)")
    OUT.mkdir(parents=True, exist_ok=True)
    write_tsv("en-vader.tsv", vader(src))
    write_tsv("en-vader-emoji.tsv", emoji(src))
    write_tsv("nl-pattern.tsv", xml_polarities(src / "nl-sentiment.xml"))
    write_tsv("de-gpl.tsv", xml_polarities(src / "de-sentiment.xml"))


if __name__ == "__main__":
    main()
