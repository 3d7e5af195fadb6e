"""What the benchmarks share: the demo's config, made into a benchmark's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# --smoke: a tiny base pretrained in seconds (cached apart from the demo's base)
TINY = {
    "model": {"base_model": "afina:bench-tiny"},
    "pretrain": {
        "corpus_sentences": 1500, "vocab_size": 400, "hidden_size": 32, "num_layers": 2, "num_heads": 2,
        "intermediate_size": 64, "block_size": 64, "max_steps": 30, "batch_size": 8,
    },
}  # fmt: skip


def demo_config(method: dict) -> dict:
    """examples/quickstart.yaml with absolute data paths and `method` as its method section, less what
    measures the model rather than its training: no canaries in the data, no gate, no side-by-side runs,
    and only the task metrics in evaluation (the tables were measured so)."""
    raw = yaml.safe_load((ROOT / "examples" / "quickstart.yaml").read_text())
    raw["method"] = method
    raw["data"] = {
        **{k: v for k, v in raw["data"].items() if k != "canaries"},
        "path": str(ROOT / raw["data"]["path"]),
        "test_path": str(ROOT / raw["data"]["test_path"]),
    }
    raw.pop("gate", None)
    raw["evaluate"] = {
        **{k: v for k, v in raw["evaluate"].items() if k not in ("compare_runs", "memorization")},
        "retain": None,
        "memorization": {"enabled": False},
        "safety": {"enabled": False},
        "bias": {"enabled": False},
    }
    return raw


def print_table(lines: list[str], out: str | None) -> None:
    """Print a benchmark's table, and write it to `out` too when given (the smoke tests read it there)."""
    table = "\n".join(lines)
    print(table)
    if out:
        Path(out).write_text(table + "\n")


def run_for_json(command: list[str], tag: str, what: str):
    """Run one measurement in its own process (afina importable) and return the JSON it printed last after
    `tag`; exit naming `what`, with its stderr, if it failed or printed none."""
    proc = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    found = [line for line in proc.stdout.splitlines() if line.startswith(tag)]
    if proc.returncode != 0 or not found:
        sys.exit(f"{what} failed:\n{proc.stderr[-3000:]}")
    return json.loads(found[-1][len(tag) :])
