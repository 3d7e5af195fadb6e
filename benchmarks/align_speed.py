"""What a step of each alignment objective costs on the demo's base: PPO (afina's own) and RLOO (TRL) sample
their answers, DPO does not. Per objective, in its own process (peak RSS is a process's), `--repeats` times:
the mean time of an optimizer step and of a batch of prompts (PPO: a rollout and its optimizer steps), the
answers' tokens generated per second of training, and the peak RSS; the table gives the median of the repeats.

    python benchmarks/align_speed.py            # the table of benchmarks/README.md (demo base, 24 steps, 3 runs)
    python benchmarks/align_speed.py --smoke    # tiny model, a few steps, once: keeps the script working

All three train LoRA (r=16, all linear layers) on the demo's preference pairs, batch 16 (RLOO: 4 prompts × 4
answers), answers up to 32 tokens; PPO takes 4 optimizer steps per batch of rollouts, so one PPO "batch" is a
rollout and four steps, against one step of DPO on 16 pairs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, TINY  # noqa: E402

OBJECTIVES = ("ppo", "rloo", "dpo")


def config_for(objective: str, work: Path, smoke: bool, steps: int) -> Path:
    """The run's config: the demo's base and preference pairs, the objective, a reward function for the
    sampling objectives (the reward's cost is not what is measured)."""
    raw = {
        "name": f"bench-{objective}",
        "seed": 42,
        "output_dir": str(work / "runs"),
        "data": {"path": str(ROOT / "examples" / "data" / "preferencias.jsonl"), "validation_size": 0.0},
        "model": {"base_model": "afina:demo-base"},
        "method": {"name": "lora", "r": 16, "alpha": 32},
        "train": {
            "objective": objective,
            "max_steps": steps,
            "batch_size": 16,
            "learning_rate": 1e-4,
            "eval_steps": 1000,
            "max_length": 256,
            "trl": {"logging_steps": 1, "save_strategy": "no"},
        },
        "align": {"rewards": ["token_f1"], "max_new_tokens": 32, "num_generations": 4, "ppo_epochs": 4},
    }
    if smoke:
        raw |= {"model": TINY["model"], "pretrain": TINY["pretrain"]}
        raw["train"]["max_length"] = 192
    path = work / f"{objective}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    return path


def measure_one(path: Path) -> dict:
    """Train the run in this process; its step times, generated tokens and peak RSS."""
    import resource

    from transformers import TrainerCallback

    from afina.cli import main
    from afina.config import load_config
    from afina.models.pretrain import ensure_base
    from afina.train import build_trainer

    class StepTimes(TrainerCallback):
        def __init__(self):
            self.times, self.started = [], None

        def on_step_begin(self, args, state, control, **kwargs):
            self.started = time.perf_counter()

        def on_step_end(self, args, state, control, **kwargs):
            self.times.append(time.perf_counter() - self.started)

    if main(["prepare", str(path), "--quiet"]) != 0:
        raise SystemExit(f"prepare failed for {path}")
    config = load_config(path)
    ensure_base(config.model, config.pretrain, quiet=True)
    timer = StepTimes()
    built = build_trainer(config, config.run, quiet=True, callbacks=(timer,))
    started = time.perf_counter()
    built.trainer.train()
    seconds = time.perf_counter() - started
    logs = built.trainer.state.log_history
    if config.train.objective == "ppo":  # a rollout of batch_size answers every ppo_epochs steps
        rollouts = [entry["answer_tokens"] for entry in logs if "answer_tokens" in entry]
        generated = sum(rollouts) * config.train.batch_size
    elif config.train.objective == "rloo":  # batch_size answers every step
        generated = sum(entry["completions/mean_length"] for entry in logs if "completions/mean_length" in entry)
        generated *= config.train.batch_size
    else:
        generated = 0
    per_batch = config.align.ppo_epochs if config.train.objective == "ppo" else 1
    return {
        "objective": config.train.objective,
        "steps": len(timer.times),
        "step_mean_s": statistics.fmean(timer.times),
        "batch_s": statistics.fmean(timer.times) * per_batch,
        "generated_tokens": generated,
        "generated_per_s": generated / seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def median_of(runs: list[dict]) -> dict:
    """One row from the repeats of an objective: the median of each number."""
    return {k: statistics.median(r[k] for r in runs) if k != "objective" else v for k, v in runs[0].items()}


def table(rows: list[dict]) -> str:
    dpo = next((r for r in rows if r["objective"] == "dpo"), None)
    lines = [
        "| objective | steps | s per optimizer step | s per batch of prompts | × a DPO step | generated tokens/s "
        "| peak RSS (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = f"{r['batch_s'] / dpo['batch_s']:.1f}×" if dpo else "–"
        generated = f"{r['generated_per_s']:,.0f}" if r["generated_tokens"] else "–"
        lines.append(
            f"| {r['objective']} | {r['steps']:g} | {r['step_mean_s']:.2f} | {r['batch_s']:.2f} | {ratio} | "
            f"{generated} | {r['peak_rss_mb']:,.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny model and a few steps")
    parser.add_argument("--steps", type=int, default=24, help="optimizer steps per objective (default 24)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per objective, the median reported (default 3)")
    parser.add_argument("--work", help="a folder for the runs (default: a temporary one)")
    parser.add_argument("--out", help="also write the table to this file")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a config to measure in this process (the child)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(Path(args.one))))
        return
    work = Path(args.work or tempfile.mkdtemp(prefix="afina-align-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    steps, repeats = (4, 1) if args.smoke else (args.steps, args.repeats)
    rows = []
    for objective in OBJECTIVES:  # one at a time: never two measurements on the same cores
        path = config_for(objective, work, args.smoke, steps)
        runs = []
        for _ in range(repeats):
            proc = subprocess.run(
                [sys.executable, __file__, "--one", str(path)], capture_output=True, text=True, env=os.environ.copy()
            )
            if proc.returncode != 0:
                raise SystemExit(f"{objective} failed:\n{proc.stderr[-3000:]}")
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(f"{objective}: {runs[-1]['step_mean_s']:.2f} s per step", file=sys.stderr)
        rows.append(median_of(runs))
    out = table(rows)
    print(out)
    if args.out:
        Path(args.out).write_text(out + "\n")


if __name__ == "__main__":
    main()
