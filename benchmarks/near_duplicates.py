"""The near-duplicate search of `afina prepare` (afina/data/near_duplicates.py) timed on rows like a support
export's: prompts of 12 words, answers of 40, a share of the rows giving one canned answer of 80 words (every
pair of those is a candidate the MinHash index cannot rule out), and one row in ten a paraphrase of another
(a word changed, added or left out, or the casing), which must be found.

    python benchmarks/near_duplicates.py --out table.md
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from afina.data.near_duplicates import pairs  # noqa: E402

from common import print_table  # noqa: E402


def rows(count: int, canned_share: float, seed: int = 0) -> tuple[list[dict], int]:
    """`count` rows and how many of them are paraphrases planted of another."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(5000)]
    say = lambda n: " ".join(rng.choice(vocab) for _ in range(n))  # noqa: E731
    canned = say(80)
    records = [
        {"prompt": say(12), "completion": canned if rng.random() < canned_share else say(40)}
        for _ in range(count - count // 10)
    ]
    for original in rng.sample(records, count // 10):
        words = original["prompt"].split()
        i = rng.randrange(len(words))
        edit = rng.choice(["changed", "added", "left out", "casing"])
        if edit == "changed":
            words[i] = "otra"
        elif edit == "added":
            words.insert(i, "muy")
        elif edit == "left out":
            del words[i]
        else:
            words = [word.upper() for word in words]
        records.append({"prompt": " ".join(words), "completion": original["completion"]})
    return records, count // 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,3000,10000", help="rows, comma-separated")
    parser.add_argument("--shares", default="0,0.1,0.33", help="shares of rows with the one canned answer")
    parser.add_argument("--repeats", type=int, default=3, help="runs per cell; the median is shown")
    parser.add_argument("--out", help="also write the table here")
    args = parser.parse_args()
    lines = [
        "| rows | share with one canned answer | seconds (median) | rows/s | planted paraphrases found |",
        "|---:|---:|---:|---:|---:|",
    ]
    for size in map(int, args.sizes.split(",")):
        for share in map(float, args.shares.split(",")):
            records, planted = rows(size, share)
            times = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                found = pairs(records)
                times.append(time.perf_counter() - started)
            paraphrases = {j for _, j in found if j >= size - planted}  # the planted rows come last
            seconds = statistics.median(times)
            lines.append(
                f"| {size:,} | {share:.0%} | {seconds:.2f} | {size / seconds:,.0f} | {len(paraphrases)} of {planted} |"
            )
    print_table(lines, args.out)


if __name__ == "__main__":
    main()
