"""Deduplicate records and split them into train/validation/test with a seed.

Rows that share a prompt always land in the same split, so no prompt leaks across splits;
with labels the split is stratified. A separate test file is checked for leakage instead.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict

from afina.errors import DataError
from afina.records import prompt_key
from afina.runfolder import SPLITS


def _content(record: dict) -> str:
    return json.dumps({k: v for k, v in record.items() if k != "source_row"}, sort_keys=True, ensure_ascii=False)


def drop_duplicates(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """Keep the first of each set of identical records; return (kept, dropped-with-reason)."""
    first_row: dict[str, int] = {}
    kept, dropped = [], []
    for record in records:
        content = _content(record)
        if content in first_row:
            dropped.append({"row": record["source_row"], "reason": f"exact duplicate of row {first_row[content]}"})
        else:
            first_row[content] = record["source_row"]
            kept.append(record)
    return kept, dropped


def _allocate(n: int, fractions: dict[str, float]) -> dict[str, int]:
    """Group counts per split: every non-zero fraction gets at least one group when there are enough."""
    counts = {name: int(round(n * fraction)) for name, fraction in fractions.items() if name != "train"}
    for name, fraction in fractions.items():
        if name != "train" and fraction > 0 and counts[name] == 0 and n >= 3:
            counts[name] = 1
    counts["train"] = n - sum(counts.values())
    if counts["train"] < 1:
        raise DataError(
            f"{n} distinct prompts are too few to split with {fractions}; add data or lower "
            "data.validation_size / data.test_size"
        )
    return counts


def split_records(
    records: list[dict], validation_size: float, test_size: float, seed: int, keys: list[str] | None = None
) -> dict[str, list[dict]]:
    """Split by prompt groups, stratified by label when records have one. `keys`: each record's group, where
    it is not its prompt (near-duplicates kept together)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for i, record in enumerate(records):
        groups[keys[i] if keys else prompt_key(record)].append(record)
    strata: dict[str, list[list[dict]]] = defaultdict(list)
    for group in groups.values():
        strata[str(group[0].get("label", ""))].append(group)
    rng = random.Random(seed)
    splits: dict[str, list[dict]] = {name: [] for name in SPLITS}
    fractions = {"train": 1 - validation_size - test_size, "validation": validation_size, "test": test_size}
    for label in sorted(strata):
        stratum = strata[label]
        rng.shuffle(stratum)
        counts = _allocate(len(stratum), fractions)
        start = 0
        for name in ("test", "validation", "train"):
            for group in stratum[start : start + counts[name]]:
                splits[name].extend(group)
            start += counts[name]
    for name in SPLITS:
        splits[name].sort(key=lambda r: r["source_row"])
    return splits


def check_no_leakage(splits: dict[str, list[dict]], files: dict[str, str]) -> None:
    """Refuse when the same prompt appears in two splits (e.g. a test file that repeats training rows)."""
    seen: dict[str, tuple[str, int]] = {}
    for name in SPLITS:
        for record in splits.get(name, []):
            key = prompt_key(record)
            if key in seen and seen[key][0] != name:
                other, row = seen[key]
                raise DataError(
                    f"the same prompt is in the {other} split ({files[other]}, row {row}) and the "
                    f"{name} split: evaluating on training prompts would overstate quality; remove one",
                    file=files[name],
                    row=record["source_row"],
                )
            seen.setdefault(key, (name, record["source_row"]))
