"""Personal-data detection (afina/records/pii.py) measured per type: recall and precision of exact spans on
two corpora of Spanish and English customer messages with planted values,

- `templates`: afina.records.pii_corpus, messages assembled from templates by the same hands as the detector
  (its numbers are an upper bound);
- `held-out`: benchmarks/data/pii_heldout.jsonl, written by its own generator (make_pii_heldout.py) without
  reading the detector, in more formats and registers (lowercase names, typos, other countries' IBANs). Its
  templates alternate between two halves: the detector may be improved by reading the misses of the dev
  half, never the test half's, whose numbers are the ones to quote;
- `held-out 2`: benchmarks/data/pii_heldout2.jsonl, a second corpus written blind the same way by another
  generator (make_pii_heldout2.py), split by template into halves as the first;
- `held-out 3`: benchmarks/data/pii_heldout3.jsonl, a third (make_pii_heldout3.py), measured whole first, then
  split the same way;
- `held-out 4`: benchmarks/data/pii_heldout4.jsonl, a fourth (make_pii_heldout4.py), kept whole as a test: the
  detector is not to be improved by reading its misses.

A found span counts as right when its type and value equal a planted one; a planted value not found exactly
(found in part, or as another type) is missed, and what was found in its place is a false positive. Beside
it, "touched": the planted values that a span of their type overlaps at least in part (where an address
ends, after its city or not, is a matter of judgement).

    python benchmarks/pii.py --out table.md
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from afina.records.pii import TYPES, find_pii  # noqa: E402
from afina.records.pii_corpus import planted_corpus  # noqa: E402

from common import print_table  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
# each held-out corpus: its name, its file, whether it is shown whole, whether it is shown by halves
HELD_OUT = [
    ("held-out", "pii_heldout.jsonl", False, True),
    ("held-out 2", "pii_heldout2.jsonl", True, True),
    ("held-out 3", "pii_heldout3.jsonl", True, True),
    ("held-out 4", "pii_heldout4.jsonl", True, False),
]


def score(rows: list[dict]) -> tuple[dict, float]:
    """Per type: planted, planted and found exactly (right), found, found and planted (correct), planted and
    overlapped (touched); and messages scanned per second."""
    counts = {kind: {"planted": 0, "found": 0, "right": 0, "correct": 0, "touched": 0} for kind in TYPES}
    started = time.perf_counter()
    found_per_row = [find_pii(row["text"]) for row in rows]
    rate = len(rows) / (time.perf_counter() - started)
    for row, found in zip(rows, found_per_row):
        truth = [(p["type"], p["value"]) for p in row["planted"]]
        spans = [(span["type"], span["value"]) for span in found]
        for kind, value in truth:
            counts[kind]["planted"] += 1
            counts[kind]["right"] += (kind, value) in spans
            start = row["text"].find(value)
            end = start + len(value)
            counts[kind]["touched"] += any(s["type"] == kind and s["start"] < end and s["end"] > start for s in found)
        for span in spans:
            counts[span[0]]["found"] += 1
            counts[span[0]]["correct"] += span in truth
    return counts, rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=3000, help="template messages (default 3000)")
    parser.add_argument("--out", help="also write the table here")
    args = parser.parse_args()
    corpora = {"templates": planted_corpus(args.messages, seed=11)}
    read = lambda path: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]  # noqa: E731
    for name, file, whole, halves in HELD_OUT:
        rows = read(DATA / file)
        if whole:
            corpora[name] = rows
        for half in ("dev", "test") if halves else ():
            corpora[f"{name}, {half} half"] = [row for row in rows if row["half"] == half]
    scored = {name: score(rows) for name, rows in corpora.items()}
    lines = []
    for name, rows in corpora.items():
        counts, rate = scored[name]
        lines += [f"{name}: {len(rows)} messages, {rate:,.0f} scanned/s", ""]
        lines += ["| type | planted | recall | precision | touched |", "|---|---:|---:|---:|---:|"]
        for kind in TYPES:
            c = counts[kind]
            recall = c["right"] / c["planted"] if c["planted"] else float("nan")
            precision = c["correct"] / c["found"] if c["found"] else float("nan")
            touched = c["touched"] / c["planted"] if c["planted"] else float("nan")
            lines.append(f"| {kind} | {c['planted']} | {recall:.3f} | {precision:.3f} | {touched:.3f} |")
        lines.append("")
    print_table(lines, args.out)


if __name__ == "__main__":
    main()
