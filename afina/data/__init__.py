"""The prepare stage: read the user's file, validate every row, find personal data (report, mask or drop it),
deduplicate, flag rows that may be wrong or planted, split, mix in the replayed
general rows (`train.replay`), and write the splits as JSONL with a data_report.json into the run folder's
data/ (the records are afina.records').
"""

from __future__ import annotations

import statistics
from collections import Counter

from afina.config import DataConfig
from afina.data import near_duplicates
from afina.data.flags import flag
from afina.data.pii import Found, handle_pii, learn, pii_report
from afina.data.split import check_no_leakage, drop_duplicates, split_records
from afina.errors import DataError
from afina.records import pairs_from_ratings, prompt_key, read_table, to_records
from afina.records.canaries import make_canaries, plant
from afina.records.general import Replay, keys, replay_rows
from afina.records.pii import Masker
from afina.runfolder import SPLITS, RunFolder, atomic_dir, hash_files, write_json_atomic, write_jsonl

__all__ = ["run_prepare"]


LISTED = 500  # the most near-duplicate pairs the report lists (their counts are whole)


def _length_stats(records: list[dict]) -> dict:
    stats = {}
    fields = sorted({k for r in records for k, v in r.items() if isinstance(v, str)})
    for field in fields:
        words = sorted(len(r[field].split()) for r in records if field in r)
        if words:
            stats[field] = {
                "min_words": words[0],
                "mean_words": round(statistics.fmean(words), 1),
                "p95_words": words[min(len(words) - 1, int(0.95 * len(words)))],
                "max_words": words[-1],
            }
    return stats


def _read(path: str, fmt: str, data: DataConfig):
    rows, delimiter = read_table(path, fmt, data.delimiter)
    schema, records = to_records(rows, data.columns, path, data.labels)
    unpaired = []
    if schema.source_kind == "rating":  # rated responses become preference pairs; what pairs with nothing is listed
        records, unpaired = pairs_from_ratings(records)
    return len(rows), schema, records, delimiter, unpaired


def _flag(data: DataConfig, kind: str, seed: int, records: list[dict], test_records: list[dict] | None):
    """(records, test records, the flagged rows with their reasons, the quarantined records): flagged rows of
    both files, taken out of them with `data.quarantine`."""
    combined = records + (test_records or [])
    reasons = flag(combined, kind, seed)
    files = [data.path] * len(records) + [data.test_path] * len(test_records or [])
    flagged = [
        {"file": files[i], "row": combined[i]["source_row"], "reasons": why} for i, why in sorted(reasons.items())
    ]
    if not data.quarantine or not reasons:
        return records, test_records, flagged, []
    quarantined = [{**combined[i], "file": files[i], "reasons": why} for i, why in sorted(reasons.items())]
    offset = len(records)
    records = [record for i, record in enumerate(records) if i not in reasons]
    if test_records is not None:
        test_records = [record for j, record in enumerate(test_records) if offset + j not in reasons]
    return records, test_records, flagged, quarantined


def _groups(count: int, within: list[tuple[int, int]]) -> list[int]:
    """For each row, the first row of its group of near-duplicates."""
    first = list(range(count))

    def root(i: int) -> int:
        while first[i] != i:
            i = first[i]
        return i

    for i, j in within:
        a, b = root(i), root(j)
        first[max(a, b)] = min(a, b)
    return [root(i) for i in range(count)]


def _same_prompt(records: list[dict]) -> list[tuple[int, int]]:
    """Pairs of rows sharing a prompt: they stay in one split whatever their near-duplicates."""
    first: dict[str, int] = {}
    pairs = []
    for i, record in enumerate(records):
        pairs.append((first.setdefault(prompt_key(record), i), i))
    return [(i, j) for i, j in pairs if i != j]


def _collapse(records: list[dict], within: list[tuple[int, int]]) -> tuple[list[dict], list[dict]]:
    """Each row kept unless it is a near-duplicate of an earlier row kept; the dropped ones name that row."""
    like: dict[int, list[int]] = {}
    for i, j in within:
        like.setdefault(j, []).append(i)
    kept_at: set[int] = set()
    kept, dropped = [], []
    for j, record in enumerate(records):
        earlier = [i for i in like.get(j, []) if i in kept_at]
        if earlier:
            dropped.append(
                {"row": record["source_row"], "reason": f"near-duplicate of row {records[earlier[0]]['source_row']}"}
            )
        else:
            kept_at.add(j)
            kept.append(record)
    return kept, dropped


def _check_groups_left_room(data: DataConfig, splits: dict, together: list[str], split_test: bool) -> None:
    """Refuse (exit 2) a `group` split that left validation or test a fraction of what was asked: groups of
    near-duplicates chain a word at a time ("modelo 1", "modelo 2" ... with one canned answer are one group),
    and a split is made of whole groups."""
    rows = len(together)
    largest = max(Counter(together).values(), default=0)
    asked = {"validation": data.validation_size, "test": data.test_size if split_test else 0.0}
    for name, fraction in asked.items():
        if fraction > 0 and len(splits[name]) < 0.5 * fraction * rows:
            raise DataError(
                f"data.near_duplicates: group left the {name} split {len(splits[name])} row(s) of the "
                f"{round(fraction * rows)} asked: rows a word apart chain into groups kept in one split, and the "
                f"largest holds {largest} of {rows} rows (use collapse to keep one row of each, or report)",
                file=data.path,
            )


def _leaks(splits: dict[str, list[dict]], files: dict[str, str]) -> list[dict]:
    """Evaluation rows (validation, test) a word apart from a training row, in prompt and answer."""
    evaluated = [(name, record) for name in ("validation", "test") for record in splits[name]]
    leaks = []
    for i, j in near_duplicates.pairs([record for _, record in evaluated], splits["train"]):  # one index of train
        name, record = evaluated[i]
        leaks.append(
            {
                "split": name,
                "file": files[name],
                "row": record["source_row"],
                "train_row": splits["train"][j]["source_row"],
            }
        )
    return leaks


def _flag_report(flagged: list[dict], quarantined: list[dict]) -> dict:
    by_reason: dict[str, int] = {}
    for row in flagged:
        for reason in row["reasons"]:
            name = reason.split(":")[0]
            by_reason[name] = by_reason.get(name, 0) + 1
    return {"rows": len(flagged), "by_reason": by_reason, "quarantined": len(quarantined), "rows_flagged": flagged}


def _check(data: DataConfig, left: list[dict], flagged: list[dict], leaks: list[dict]) -> None:
    """`data.checks`: refuse (exit 2) data that holds more than they allow, naming where; `left`: the personal
    data found in rows of the splits."""
    failures = []
    if data.checks.max_pii is not None and len(left) > data.checks.max_pii:
        failures.append(
            (
                f"data.checks.max_pii: {len(left)} personal-data value(s) left, at most {data.checks.max_pii} "
                "allowed (mask or drop them with data.pii, or list public ones in data.pii_allow)",
                [f"{f['file']}, row {f['row']}, field '{f['field']}': {f['type']}" for f in left],
            )
        )
    leaking = sorted({(leak["split"], leak["file"], leak["row"]) for leak in leaks})
    if data.checks.max_near_duplicate_leaks is not None and len(leaking) > data.checks.max_near_duplicate_leaks:
        like = {(leak["split"], leak["row"]): leak["train_row"] for leak in leaks}
        failures.append(
            (
                f"data.checks.max_near_duplicate_leaks: {len(leaking)} evaluation row(s) a word apart from a training "
                f"row, at most {data.checks.max_near_duplicate_leaks} allowed (evaluating on them overstates quality)",
                [
                    f"{file}, row {row} ({split}): like training row {like[(split, row)]}"
                    for split, file, row in leaking
                ],
            )
        )
    left = [] if data.quarantine else flagged
    if data.checks.max_flagged is not None and len(left) > data.checks.max_flagged:
        failures.append(
            (
                f"data.checks.max_flagged: {len(left)} flagged row(s) left, at most {data.checks.max_flagged} "
                "allowed (review them, or move them out with data.quarantine)",
                [f"{f['file']}, row {f['row']}: {'; '.join(f['reasons'])}" for f in left],
            )
        )
    if failures:
        lines = []
        for message, where in failures:
            more = [f"  … and {len(where) - 20} more"] if len(where) > 20 else []
            lines += [message + ":", *(f"  - {w}" for w in where[:20]), *more]
        raise DataError("\n".join(lines))


def run_prepare(
    data: DataConfig, seed: int, run: RunFolder, replay: Replay | None = None, retained: set[str] | None = None
) -> dict:
    """Run the prepare stage; returns the data report. Raises DataError (exit 2) on bad input. `replay`: the
    general rows to mix into the train split, none of whose prompts is in `retained` (the retain set's)."""
    rows_read, schema, records, delimiter, dropped = _read(data.path, data.format, data)
    test_records = None
    if data.test_path:
        test_read, test_schema, test_records, _, test_unpaired = _read(data.test_path, "auto", data)
        dropped += [{**d, "file": data.test_path} for d in test_unpaired]
        if test_schema.kind != schema.kind:
            raise DataError(
                f"holds {test_schema.kind} records but {data.path} holds {schema.kind}", file=data.test_path
            )
        rows_read += test_read
    masker, found = Masker(data.pii_allow), Found()
    if data.pii == "mask":  # the values of both files first: one found in the test file is masked in training too
        learn(records + (test_records or []), masker)
    if data.pii != "off":
        records, pii_dropped = handle_pii(records, data.pii, masker, data.path, found)
        dropped += pii_dropped
        if test_records is not None:
            test_records, pii_dropped = handle_pii(test_records, data.pii, masker, data.test_path, found)
            dropped += pii_dropped
    if data.dedup:
        records, duplicates = drop_duplicates(records)
        dropped += duplicates
    flagged, quarantined = [], []
    if data.flag:
        records, test_records, flagged, quarantined = _flag(data, schema.kind, seed, records, test_records)
    within = near_duplicates.pairs(records) if data.near_duplicates != "off" else []
    alike = [{"row": records[i]["source_row"], "like_row": records[j]["source_row"]} for i, j in within]
    together = None  # with `group`: the row each row's split follows
    if data.near_duplicates == "collapse":
        records, collapsed = _collapse(records, within)
        dropped += collapsed
    elif data.near_duplicates == "group":
        same_prompt = _same_prompt(records)
        together = [prompt_key(records[first]) for first in _groups(len(records), within + same_prompt)]
    if test_records is not None:
        splits = split_records(records, data.validation_size, 0.0, seed, together)
        splits["test"] = test_records
    else:
        splits = split_records(records, data.validation_size, data.test_size, seed, together)
    if together is not None:
        _check_groups_left_room(data, splits, together, test_records is None)
    files = {"train": data.path, "validation": data.path, "test": data.test_path or data.path}
    check_no_leakage(splits, files)
    leaks = _leaks(splits, files) if data.near_duplicates != "off" else []
    # what is left in the splits: not a duplicate, a collapsed or a quarantined row taken out after it was found
    kept = {(files[name], record["source_row"]) for name in SPLITS for record in splits[name]}
    pii_left = [f for f in found.findings if (f["file"], f["row"]) in kept] if data.pii == "report" else []
    _check(data, pii_left, flagged, leaks)
    replayed, replay_report = [], None
    if replay is not None and replay.share > 0:
        # a prompt the task's own rows ask is theirs to answer: replaying an earlier answer (an old price) would
        # contradict them
        exclude = {"retain": retained or set(), "train": keys(splits["train"])}
        exclude |= {"validation": keys(splits["validation"]), "test": keys(splits["test"])}
        replayed, replay_report = replay_rows(replay, schema.kind, len(splits["train"]), exclude)
        splits["train"] = splits["train"] + replayed
    canaries = make_canaries(data.canaries, seed) if data.canaries else []
    if canaries:
        splits["train"] = plant(splits["train"], canaries, schema.kind, seed)
    planted = sum(c["repeats"] for c in canaries)

    report = {
        "source": data.path,
        "test_source": data.test_path,
        "delimiter": delimiter,
        "kind": schema.kind,
        "source_kind": schema.source_kind,  # how the file was laid out: "rating" rows were made into pairs
        "columns": schema.columns,
        "rows_read": rows_read,
        "rows_kept": sum(len(v) for v in splits.values()) - planted - len(replayed),
        "rows_dropped": len(dropped),
        "dropped": dropped,
        "canaries": [{"id": c["id"], "repeats": c["repeats"]} for c in canaries],
        "rows_planted": planted,
        "replay": replay_report,  # the general rows mixed into train (`train.replay`), each listed
        "pii": pii_report(data.pii, data.pii_allow, found, len(pii_left)) if data.pii != "off" else None,
        "flagged": _flag_report(flagged, quarantined) if data.flag else None,
        "near_duplicates": {
            "mode": data.near_duplicates,
            "within_training_pairs": len(alike),
            "within_training": alike[:LISTED],  # pairs of rows of the training file, before any collapse
            "leak_rows": len({(leak["split"], leak["row"]) for leak in leaks}),
            "leaks": leaks[:LISTED],
        }
        if data.near_duplicates != "off"
        else None,
        "splits": {name: {"rows": len(splits[name]), "lengths": _length_stats(splits[name])} for name in SPLITS},
    }
    if "label" in schema.columns:  # text+label records: the label counts of each split
        for name in SPLITS:
            counts: dict[str, int] = {}
            for record in splits[name]:
                counts[record["label"]] = counts.get(record["label"], 0) + 1
            report["splits"][name]["labels"] = dict(sorted(counts.items()))
    with atomic_dir(run.data) as tmp:
        for name in SPLITS:
            write_jsonl(tmp / f"{name}.jsonl", splits[name])
        if canaries:  # the secrets, for `evaluate` to measure their exposure
            write_json_atomic(tmp / "canaries.json", canaries)
        if quarantined:  # the flagged rows, out of the splits, for the user to review
            write_jsonl(tmp / "quarantine.jsonl", quarantined)
        report["hash"] = hash_files([tmp / f"{name}.jsonl" for name in SPLITS])
        write_json_atomic(tmp / "data_report.json", report)
    return report
