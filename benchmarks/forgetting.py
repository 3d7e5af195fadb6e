"""What prevents forgetting, and what it costs: the demo's two runs (LoRA and full fine-tuning) trained again
with general data replayed (`train.replay` 0 / 10 / 25 / 50% of the train split) and with the pull toward
the starting weights (`train.l2_sp`), each evaluated on the demo's held-out questions and on the retain set.

    python benchmarks/forgetting.py                  # the table of docs/demo.md and benchmarks/README.md
    python benchmarks/forgetting.py --rows lora-r25  # some rows only (names: --list)
    python benchmarks/forgetting.py --smoke          # tiny model, a few steps: keeps the script working

Each row is `afina run` in its own process on the demo config, less the checks that do not measure
forgetting (canaries, safety, bias); the table gives the task's token F1 with its 95% interval, the gain
over the base with its paired test, forgetting (the drop of the retain set's answer F1) with its interval,
and the training time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# name: (the demo config it starts from, train: overrides, method: overrides)
ROWS = {  # in the order of the table in benchmarks/README.md
    "lora": ("quickstart.yaml", {}, {}),
    "lora-r10": ("quickstart.yaml", {"replay": 0.1}, {}),
    "lora-r25": ("quickstart.yaml", {"replay": 0.25}, {}),
    "lora-r50": ("quickstart.yaml", {"replay": 0.5}, {}),
    "lora-l2sp10": ("quickstart.yaml", {"l2_sp": 10.0}, {}),
    "lora-r8-attention": ("quickstart.yaml", {}, {"r": 8, "alpha": 16, "target_modules": ["q_proj", "v_proj"]}),
    "full": ("quickstart-full.yaml", {}, {}),
    "full-r10": ("quickstart-full.yaml", {"replay": 0.1}, {}),
    "full-r25": ("quickstart-full.yaml", {"replay": 0.25}, {}),
    "full-r50": ("quickstart-full.yaml", {"replay": 0.5}, {}),
    "full-l2sp30": ("quickstart-full.yaml", {"l2_sp": 30.0}, {}),
}
SMOKE_ROWS = ["lora", "lora-r10"]
# --smoke: a tiny base pretrained in seconds (cached apart from the demo's base), a few steps
TINY = {
    "model": {"base_model": "afina:bench-tiny"},
    "pretrain": {
        "corpus_sentences": 1500, "vocab_size": 400, "hidden_size": 32, "num_layers": 2, "num_heads": 2,
        "intermediate_size": 64, "block_size": 64, "max_steps": 30, "batch_size": 8,
    },
    "train": {"max_steps": 4, "eval_steps": 2},
    "evaluate": {"max_new_tokens": 8, "retain_rows": 20, "bootstrap_samples": 100},
}  # fmt: skip


def row_config(name: str, smoke: bool) -> dict:
    """The demo config of a row, with absolute data paths and only the checks that measure forgetting."""
    source, train, method = ROWS[name]
    raw = yaml.safe_load((ROOT / "examples" / source).read_text())
    raw["name"] = name
    raw["data"] = {
        **{k: v for k, v in raw["data"].items() if k != "canaries"},
        "path": str(ROOT / raw["data"]["path"]),
        "test_path": str(ROOT / raw["data"]["test_path"]),
    }
    raw["train"] = {**raw["train"], "replay": 0.0, "l2_sp": 0.0, **train}
    raw["method"] = {**raw["method"], **method}
    raw.pop("gate", None)
    raw["evaluate"] = {
        "max_new_tokens": raw["evaluate"]["max_new_tokens"],
        "retain": "auto",
        "memorization": {"enabled": False},
        "safety": {"enabled": False},
        "bias": {"enabled": False},
    }
    if smoke:
        for section, values in TINY.items():
            raw[section] = {**raw.get(section, {}), **values}
    return raw


def run_row(name: str, work: Path, smoke: bool) -> dict:
    """`afina run` of one row in its own process; what its eval.json and train_summary.json say."""
    path = work / f"{name}.yaml"
    raw = row_config(name, smoke) | {"output_dir": str(work / "runs")}
    raw["registry"] = {"url": f"sqlite:///{work / 'registry.db'}"}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AFINA_PROGRESS": "0"}
    proc = subprocess.run(
        [sys.executable, "-m", "afina", "run", str(path), "--quiet"], capture_output=True, text=True, env=env
    )
    if proc.returncode != 0:
        sys.exit(f"{name} failed (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    run = work / "runs" / name
    results = json.loads((run / "eval" / "eval.json").read_text())
    summary = json.loads((run / "train_summary.json").read_text())
    report = json.loads((run / "data" / "data_report.json").read_text())
    gain = results["comparison"]["token_f1"]
    return {
        "row": name,
        "method": raw["method"]["name"],
        "settings": ", ".join(f"{k} {v}" for k, v in ROWS[name][2].items()) or "–",
        "replay": raw["train"]["replay"],
        "l2_sp": raw["train"]["l2_sp"],
        "train_rows": report["splits"]["train"]["rows"],
        "steps": summary["global_step"],
        "train_seconds": summary["train_seconds"],
        "task_f1": results["models"]["tuned"]["token_f1"],
        "task_f1_ci": results["models"]["tuned"]["intervals"]["token_f1"],
        "gain": gain["difference"],
        "gain_p": gain["p_value"],
        "forgetting": results["forgetting"]["forgetting"],
        "forgetting_ci": results["forgetting"]["ci"],
        "retain_f1": results["forgetting"]["parts"]["qa"]["tuned"]["token_f1"],
        "base_retain_f1": results["forgetting"]["parts"]["qa"]["base"]["token_f1"],
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| method | replay | l2_sp | other settings | train rows | steps | train time | task token F1 | gain over base "
        "(p) | retain answer F1 | forgetting |",
        "|---|---:|---:|---|---:|---:|---:|---|---|---:|---|",
    ]
    for r in rows:
        lo, hi = r["task_f1_ci"]
        flo, fhi = r["forgetting_ci"]
        lines.append(
            f"| {r['method']} | {r['replay']:.0%} | {r['l2_sp']:g} | {r['settings']} | {r['train_rows']} | "
            f"{r['steps']} | {r['train_seconds']:.0f} s | {r['task_f1']:.3f} [{lo:.3f}, {hi:.3f}] | "
            f"{r['gain']:+.3f} ({r['gain_p']:.3f}) | {r['retain_f1']:.3f} | "
            f"**{r['forgetting']:.3f}** [{flo:.3f}, {fhi:.3f}] |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", nargs="+", choices=list(ROWS), help="default: every row")
    parser.add_argument("--list", action="store_true", help="the rows' names and settings")
    parser.add_argument("--smoke", action="store_true", help="tiny model, a few steps, two rows: CI keeps it working")
    parser.add_argument("--work", help="working folder (default: a temporary one)")
    parser.add_argument("--out", help="also write the markdown table to this file")
    args = parser.parse_args()
    if args.list:
        for name, (source, train, method) in ROWS.items():
            print(f"{name:20} {source:22} train {train or '{}'} method {method or '{}'}")
        return
    temporary = None if args.work else tempfile.TemporaryDirectory(prefix="afina-forgetting-")  # removed at exit
    work = Path(args.work or temporary.name)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in args.rows or (SMOKE_ROWS if args.smoke else list(ROWS)):
        rows.append(run_row(name, work, args.smoke))
        print(f"  {name}: done ({rows[-1]['train_seconds']:.0f} s of training)", file=sys.stderr, flush=True)
        base = rows[0]["base_retain_f1"]
        text = table(rows) + f"\n\nThe base's retain answer F1: {base:.3f}; forgetting is its drop after tuning."
        if args.out:  # the table so far, after every row
            Path(args.out).write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
