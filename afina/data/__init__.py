"""The prepare stage: read the user's file, validate every row, deduplicate, split, and write the
splits as JSONL with a data_report.json into the run folder's data/.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from afina.config import Config
from afina.data.canaries import make_canaries, plant
from afina.data.load import read_rows
from afina.data.schema import as_conversation, as_pair, prompt_key, to_records
from afina.data.split import SPLITS, check_no_leakage, drop_duplicates, split_records
from afina.errors import DataError
from afina.runfolder import atomic_dir, hash_files, read_jsonl, write_json_atomic, write_jsonl

__all__ = ["run_prepare", "load_split", "load_data_report", "load_canaries", "read_records", "as_conversation", "as_pair", "prompt_key"]


def _length_stats(records: list[dict]) -> dict:
    stats = {}
    fields = sorted({k for r in records for k, v in r.items() if isinstance(v, str)})
    for field in fields:
        words = sorted(len(r[field].split()) for r in records if field in r)
        if words:
            stats[field] = {"min_words": words[0], "mean_words": round(statistics.fmean(words), 1),
                            "p95_words": words[min(len(words) - 1, int(0.95 * len(words)))], "max_words": words[-1]}
    return stats


def _read(path: str, fmt: str, config: Config):
    rows = read_rows(path, fmt)
    schema, records = to_records(rows, config.data.columns, path, config.data.labels)
    return len(rows), schema, records


def read_records(path: str, columns: dict[str, str] | None = None) -> tuple[str, list[dict]]:
    """Any data file afina reads, validated into canonical records: (kind, records)."""
    schema, records = to_records(read_rows(path, "auto"), columns or {}, path, None)
    return schema.kind, records


def run_prepare(config: Config, run_dir: Path) -> dict:
    """Run the prepare stage; returns the data report. Raises DataError (exit 2) on bad input."""
    data = config.data
    rows_read, schema, records = _read(data.path, data.format, config)
    dropped = []
    if data.dedup:
        records, dropped = drop_duplicates(records)
    if data.test_path:
        test_read, test_schema, test_records = _read(data.test_path, "auto", config)
        if test_schema.kind != schema.kind:
            raise DataError(f"holds {test_schema.kind} records but {data.path} holds {schema.kind}", file=data.test_path)
        splits = split_records(records, data.validation_size, 0.0, config.seed)
        splits["test"] = test_records
        rows_read += test_read
    else:
        splits = split_records(records, data.validation_size, data.test_size, config.seed)
    files = {"train": data.path, "validation": data.path, "test": data.test_path or data.path}
    check_no_leakage(splits, files)
    canaries = make_canaries(data.canaries, config.seed) if data.canaries else []
    if canaries:
        splits["train"] = plant(splits["train"], canaries, schema.kind, config.seed)
    planted = sum(c["repeats"] for c in canaries)

    report = {
        "source": data.path, "test_source": data.test_path, "kind": schema.kind, "columns": schema.columns,
        "rows_read": rows_read, "rows_kept": sum(len(v) for v in splits.values()) - planted,
        "rows_dropped": len(dropped), "dropped": dropped,
        "canaries": [{"id": c["id"], "repeats": c["repeats"]} for c in canaries],
        "rows_planted": planted,
        "splits": {name: {"rows": len(splits[name]), "lengths": _length_stats(splits[name])} for name in SPLITS},
    }
    if schema.kind == "classification":
        for name in SPLITS:
            counts: dict[str, int] = {}
            for record in splits[name]:
                counts[record["label"]] = counts.get(record["label"], 0) + 1
            report["splits"][name]["labels"] = dict(sorted(counts.items()))
    with atomic_dir(run_dir / "data") as tmp:
        for name in SPLITS:
            write_jsonl(tmp / f"{name}.jsonl", splits[name])
        if canaries:  # the secrets, for `evaluate` to measure their exposure
            write_json_atomic(tmp / "canaries.json", canaries)
        report["hash"] = hash_files([tmp / f"{name}.jsonl" for name in SPLITS])
        write_json_atomic(tmp / "data_report.json", report)
    return report


def load_data_report(run_dir: Path) -> dict:
    """A run's data/data_report.json; a run that was never prepared is the user's to fix (exit 2)."""
    path = Path(run_dir) / "data" / "data_report.json"
    if not path.is_file():
        raise DataError("is missing: run `afina prepare` (or `afina run`) for this config first", file=str(path))
    return json.loads(path.read_text())


def load_canaries(run_dir: Path) -> list[dict]:
    """The canaries planted in a run's train split (empty when none were)."""
    path = Path(run_dir) / "data" / "canaries.json"
    return json.loads(path.read_text()) if path.is_file() else []


def load_split(run_dir: Path, name: str) -> list[dict]:
    """Read one prepared split from a run folder."""
    path = Path(run_dir) / "data" / f"{name}.jsonl"
    if not path.is_file():
        raise DataError(f"the {name} split is missing; run `afina prepare` first", file=str(path))
    return read_jsonl(path)
