"""Fine-tuning speed: plain TRL SFTTrainer + peft LoRA with their defaults (as the popular fine-tuning
tools run it) against afina, on the same base, data, LoRA and number of optimizer steps, each side in
its own process. Prints tokens/s (real tokens, padding excluded), peak RSS, the validation loss
reached, and the model-FLOPs utilisation against this machine's measured matmul peak. Then what each
speed switch pays: afina's training step against the same step with that one switch turned back, side
by side in one process (the variants take turns on the same batches, step by step), so that each
default shows its gain measured to a few percent rather than within the ±15% that whole runs move
by on this shared machine. The baseline's own step (TRL's trainer) takes its turn there too: the
speed-up per step, both sides timed in the same minutes of the machine, which whole runs cannot be.
A switch that sets the whole process (the C allocator's) cannot take turns in one process: it is
measured by whole runs with it turned back, alternating with afina's, with the page faults and the
kernel's CPU time of each run's training beside them.

    python benchmarks/train_speed.py                  # demo base and the ~100M model, with the switches
    python benchmarks/train_speed.py --no-ablate      # baseline and afina only
    python benchmarks/train_speed.py --smoke          # tiny model, 2 steps: keeps the script working
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from methods import BATCH_SIZES, TINY, base_for  # noqa: E402  (the same bases as the methods table)

LORA = {"r": 16, "alpha": 32}
STEPS = {"demo": 100, "100m": 40, "tiny": 2}
SIDE_STEPS = {"demo": 80, "100m": 30, "tiny": 4}  # side by side: steps per variant (the first 3 are not timed)
EVAL_ROUNDS = {"demo": 9, "100m": 5, "tiny": 2}  # side by side: evaluations per batch size (the first not timed)
# each switch turned back: afina with one speed.* (or train.*) switch set against its default (the value as the
# override writes it)
ABLATIONS = {
    "padding_free": "false",
    "answer_logits": "false",
    "answer_last_layer": "false",
    "frozen_bf16": "false",
    "fused_lora": "false",
    "fused_attention": "false",
    "plain_attention": "false",
    "fused_norm": "false",
    "activation_checkpointing": "true",
    "bf16": "false",
}
TRAIN_SWITCHES = ("activation_checkpointing", "bf16")  # in the train: section; the others in speed:
# switches of the whole process: turned back in whole runs of their own (see the docstring)
PROCESS_ABLATIONS = {"reuse_freed_memory": "false"}


def matmul_peak(dtype_name: str, size: int = 1024, repeats: int = 15) -> float:
    """GFLOP/s of a size×size matmul in this dtype, on all threads torch uses: the best of `repeats`
    (a peak; this shared machine's noise only ever slows it, and a median let MFU pass 100%)."""
    import torch

    dtype = getattr(torch, dtype_name)
    a, b = torch.randn(size, size, dtype=dtype), torch.randn(size, size, dtype=dtype)
    for _ in range(3):
        a @ b
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(5):
            a @ b
        times.append((time.perf_counter() - start) / 5)
    return 2 * size**3 / min(times) / 1e9


def _config(
    size: str, work: Path, steps: int, flip: str | None = None, bases: Path | None = None, extra=(), shapes=None
):
    """The run's config (in `work`); `flip`: that switch turned back, in its own run folder; `bases`: the
    folder holding the base built from config (default `work`); `extra`: more overrides (another method,
    say); `shapes`: the sizes' shapes, for base_for."""
    import yaml

    from afina.config import load_config

    from common import demo_config

    raw = demo_config({"name": "lora", **LORA})
    raw["train"] = {k: v for k, v in raw["train"].items() if k not in ("bf16",)}  # afina's default decides
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"speed-{size}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    overrides = [
        f"name=speed-{size}",
        f"output_dir={work / ('runs' if flip is None else f'runs-{flip}')}",
        f"model.base_model={base_for(size, bases or work, shapes)}",
        f"train.max_steps={steps}",
        f"train.eval_steps={steps}",
        "train.early_stopping_patience=null",
        f"registry.url=sqlite:///{work / 'registry.db'}",
    ] + (TINY[1:] if size == "tiny" else [])
    if size in BATCH_SIZES:
        overrides.append(f"train.batch_size={BATCH_SIZES[size]}")
    if flip:
        section = "train" if flip in TRAIN_SWITCHES else "speed"
        overrides.append(f"{section}.{flip}={ABLATIONS.get(flip) or PROCESS_ABLATIONS[flip]}")
    return load_config(path, overrides + list(extra))


def _prepared(
    size: str, work: Path, steps: int, flip: str | None = None, bases: Path | None = None, extra=(), shapes=None
):
    """`_config` with its data prepared (the same splits for every side and variant), and nothing left
    for the kernel to write back while a run is timed."""
    from afina.pipeline import Options, stage_prepare

    config = _config(size, work, steps, flip, bases, extra, shapes)
    stage_prepare(config, Options(quiet=True))
    os.sync()
    return config


def run_afina(
    size: str, work: Path, steps: int, bases: Path | None = None, flip: str | None = None, extra=(), shapes=None
) -> dict:
    from afina.train import run_train

    config = _prepared(size, work, steps, flip, bases, extra, shapes)
    before = resource.getrusage(resource.RUSAGE_SELF)
    summary = run_train(config, config.run, quiet=True).to_dict()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "tokens": summary["tokens"],
        "seconds": summary["train_seconds"],
        "eval_loss": summary["best_eval_loss"],
        # the kernel's side of the run (building the trainer and saving included): what the allocator changes
        "page_faults": after.ru_minflt - before.ru_minflt,
        "kernel_seconds": after.ru_stime - before.ru_stime,
        "bf16": summary["bf16"],
        "switches": summary["speed"],
        "base_parameters": summary["parameters"]["total"] - summary["parameters"]["trainable"],
        "lora_parameters": summary["parameters"]["trainable"],
    }


def baseline_trainer(config, work: Path):
    """Plain TRL + peft, their defaults, as a user who glues them by hand would write it: the trainer of
    `config`'s prepared data, not yet trained. QLoRA (`config.method.name`) as their guides write it: the
    base loaded in 4 bits (NF4, double quantisation, bf16 compute), which TRL prepares with peft."""
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from afina.methods import get_method
    from afina.records import as_conversation
    from afina.runfolder import read_jsonl

    def split(name):
        return Dataset.from_list([as_conversation(r) for r in read_jsonl(config.run.split(name))])

    base, steps = config.model.base_model, config.train.max_steps
    args = SFTConfig(
        output_dir=str(work / "baseline"),
        max_steps=steps,
        per_device_train_batch_size=config.train.batch_size,
        learning_rate=config.train.learning_rate,
        lr_scheduler_type=config.train.lr_scheduler,
        warmup_steps=config.train.warmup_ratio,  # the same recipe: below 1, a ratio of the steps
        report_to=[],
        logging_steps=10,
        seed=config.seed,
        disable_tqdm=True,
        # one evaluation and one checkpoint at the end, as afina's side does (both are timed)
        eval_strategy="steps",
        eval_steps=steps,
        save_strategy="steps",
        save_steps=steps,
        include_num_input_tokens_seen="non_padding",  # counting only: it changes no computation
        use_cpu=not torch.cuda.is_available(),
    )  # required on a CPU; TRL then autocasts to bf16
    # QLoRA's base in 4 bits with the standard settings (NF4, double quantisation, bf16 compute): afina's defaults
    quantized = get_method("qlora").load_kwargs(config.method) if config.method.name == "qlora" else {}
    return SFTTrainer(
        model=AutoModelForCausalLM.from_pretrained(base, **quantized),
        args=args,
        train_dataset=split("train"),
        eval_dataset=split("validation"),
        processing_class=AutoTokenizer.from_pretrained(base),
        peft_config=LoraConfig(
            r=LORA["r"], lora_alpha=LORA["alpha"], target_modules="all-linear", task_type="CAUSAL_LM"
        ),
    )


def run_baseline(size: str, work: Path, steps: int, bases: Path | None = None, extra=(), shapes=None) -> dict:
    """The baseline's whole run on the data afina's side prepares, timed as afina's is (`trainer.train()`)."""
    trainer = baseline_trainer(_prepared(size, work, steps, bases=bases, extra=extra, shapes=shapes), work)
    started = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - started
    total = sum(p.numel() for p in trainer.model.parameters())
    lora = sum(p.numel() for p in trainer.model.parameters() if p.requires_grad)
    return {
        "tokens": trainer.state.num_input_tokens_seen,
        "seconds": seconds,
        "eval_loss": [h["eval_loss"] for h in trainer.state.log_history if "eval_loss" in h][-1],
        "bf16": trainer.args.bf16,
        "base_parameters": total - lora,
        "lora_parameters": lora,
    }


class _Stepper:
    """One variant's training step, as Trainer runs it on this device (autocast per the run's bf16,
    activation checkpointing if on, gradient clipping, the trainer's own optimizer at its initial
    learning rate: no schedule, which changes no step's cost), without Trainer's loop, so that several
    variants can take turns in one process."""

    def __init__(self, trainer, bf16: bool):
        import torch

        self.trainer, self.model = trainer, trainer.model
        self.device = next(self.model.parameters()).device.type
        self.autocast = torch.autocast(self.device, dtype=torch.bfloat16, enabled=bf16)
        if self.trainer.args.activation_checkpointing:
            self.model.activation_checkpointing_enable()
        self.optimizer = self.trainer.create_optimizer(self.model)
        self.batches = self._epochs()

    def _epochs(self):
        while True:
            yield from self.trainer.get_train_dataloader()

    def step(self) -> tuple[float, float, int]:
        """Runs one step; returns its seconds, its loss and the tokens it scored."""
        import torch

        batch = {k: v.to(self.device) if hasattr(v, "to") else v for k, v in next(self.batches).items()}
        started = time.perf_counter()
        self.model.train()
        with self.autocast:
            loss = self.trainer.compute_loss(self.model, batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(
            [p for p in self.model.parameters() if p.requires_grad], self.trainer.args.max_grad_norm
        )
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        value = loss.item()  # waits for the device
        return time.perf_counter() - started, value, int((batch["labels"] != -100).sum())


def side_by_side(size: str, work: Path, steps: int, bases: Path | None = None) -> list[dict]:
    """afina's training step against the same step with each switch turned back, in one process: the
    variants take turns, step by step on the same batches (the order reversed every step), and each
    switch's gain is the median over steps of (step with it turned back) / (afina's step). Last, the
    baseline's trainer (`baseline_trainer`) on the same examples, as its own padded batches. (Every variant
    runs under afina's allocator setting, the process's: `PROCESS_ABLATIONS` are measured by whole runs.)"""
    from afina.train import build_trainer

    configs = {flip: _prepared(size, work, steps, flip, bases) for flip in (None, *ABLATIONS)}
    variants = {}
    for flip, config in configs.items():
        built = build_trainer(config, config.run, quiet=True)
        variants[flip] = _Stepper(built.trainer, built.bf16)
    baseline = baseline_trainer(configs[None], work)  # afina's own data and recipe
    variants["baseline"] = _Stepper(baseline, baseline.args.bf16)
    times, losses = {flip: [] for flip in variants}, {flip: [] for flip in variants}
    for number in range(steps):
        order = list(variants) if number % 2 == 0 else list(variants)[::-1]
        scored = set()
        for flip in order:
            seconds, loss, tokens = variants[flip].step()
            times[flip].append(seconds)
            losses[flip].append(loss)
            scored.add(tokens)
        if len(scored) != 1:
            raise RuntimeError(f"step {number}: the variants were given different batches ({sorted(scored)} tokens)")
    timed = slice(min(3, steps - 1), None)  # the first steps build kernels and allocate
    rows = []
    for flip in (*ABLATIONS, "baseline"):
        gains = [off / on for off, on in zip(times[flip][timed], times[None][timed])]
        switch = "all: plain TRL + peft" if flip == "baseline" else f"{flip}={ABLATIONS[flip]}"
        rows.append(
            {
                "model": size,
                "switch": switch,
                "steps": len(gains),
                "afina_ms": 1000 * statistics.median(times[None][timed]),
                "off_ms": 1000 * statistics.median(times[flip][timed]),
                "gain": statistics.median(gains),
                "afina_loss": statistics.mean(losses[None]),
                "off_loss": statistics.mean(losses[flip]),
            }
        )
    return rows + [evaluation_side_by_side(size, variants[None].trainer, configs[None].train.batch_size)]


def evaluation_side_by_side(size: str, trainer, batch_size: int) -> dict:
    """afina's evaluation of the validation split at its evaluation batch size against the same at the
    training batch size (what the evaluation used before `train.eval_batch_size`), taking turns in one
    process; gain: the median of the ratios of each round."""
    default = trainer.args.per_device_eval_batch_size
    times, losses = {default: [], batch_size: []}, {}
    for number in range(EVAL_ROUNDS[size]):
        for batch in (default, batch_size) if number % 2 == 0 else (batch_size, default):
            trainer.args.per_device_eval_batch_size = batch
            started = time.perf_counter()
            losses[batch] = trainer.evaluate()["eval_loss"]
            times[batch].append(time.perf_counter() - started)
    trainer.args.per_device_eval_batch_size = default
    timed = slice(1, None)  # the first evaluation at a size builds its kernels
    return {
        "model": size,
        "switch": f"eval_batch_size={batch_size} (evaluation, not a step)",
        "steps": len(times[default][timed]),
        "afina_ms": 1000 * statistics.median(times[default][timed]),
        "off_ms": 1000 * statistics.median(times[batch_size][timed]),
        "gain": statistics.median(off / on for off, on in zip(times[batch_size][timed], times[default][timed])),
        "afina_loss": losses[default],
        "off_loss": losses[batch_size],
    }


def _speed(result: dict) -> float:
    return result["tokens"] / result["seconds"]


def _row(side: str, size: str, results: list[dict], peaks: dict) -> dict:
    """Medians over a side's runs (eval loss repeats exactly; speed and memory do not)."""
    result = results[0]
    tokens_per_second = statistics.median(_speed(r) for r in results)
    result = {**result, **{key: statistics.median(r[key] for r in results) for key in ("peak_rss_mb", "eval_loss")}}
    # LoRA FLOPs per token: forward 2N and input-gradient 2N through the frozen base, 6 per adapter weight.
    flops = (4 * result["base_parameters"] + 6 * result["lora_parameters"]) * tokens_per_second
    peak = peaks["bfloat16" if result["bf16"] else "float32"]
    return {
        "side": side,
        "model": size,
        "tokens_per_second": tokens_per_second,
        "peak_rss_mb": result["peak_rss_mb"],
        "eval_loss": result["eval_loss"],
        "mfu": flops / (peak * 1e9),
        "dtype": "bf16" if result["bf16"] else "fp32",
        "parameters": result["base_parameters"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=["demo", "100m", "tiny", "all"], default="all")
    parser.add_argument("--steps", type=int)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--repeats", type=int, default=3, help="runs per side (the table shows medians)")
    parser.add_argument(
        "--no-ablate",
        action="store_true",
        help="leave out what each switch pays (side by side, and the process switches' whole runs)",
    )
    parser.add_argument("--work")
    parser.add_argument("--out")
    parser.add_argument("--one", choices=["baseline", "afina", "side"], help=argparse.SUPPRESS)
    parser.add_argument("--bases", help=argparse.SUPPRESS)
    parser.add_argument("--flip", choices=list(PROCESS_ABLATIONS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    temporary = None if args.work else tempfile.TemporaryDirectory(prefix="afina-speed-")  # removed at exit
    work = Path(args.work or temporary.name)
    work.mkdir(parents=True, exist_ok=True)
    bases = Path(args.bases) if args.bases else None
    if args.one == "side":
        print("SIDE " + json.dumps(side_by_side(args.model, work, args.steps, bases)))
        return
    if args.one:
        result = (
            run_afina(args.model, work, args.steps, bases, args.flip)
            if args.one == "afina"
            else run_baseline(args.model, work, args.steps, bases)
        )
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print("ROW " + json.dumps(result))
        return
    sizes = ["tiny"] if args.smoke else (["demo", "100m"] if args.model == "all" else [args.model])
    repeats = 1 if args.smoke else args.repeats
    peaks = {dtype: matmul_peak(dtype) for dtype in ("float32", "bfloat16")}
    rows, switch_rows, process_rows = [], [], []
    for size in sizes:
        # every run trains from one base, built (and written out to disk) before any run is timed: a base
        # built in each run left ~340 MB of the ~100M model's weights for the kernel to write back during it
        base_for(size, work)
        os.sync()
        flips = [] if args.no_ablate else list(PROCESS_ABLATIONS)
        runs = {side: [] for side in ("baseline", "afina", *flips)}
        steps = args.steps or STEPS[size]
        for repeat in range(repeats):  # the sides alternate, so that a slow spell of the machine hits both
            for side in runs:
                runs[side].append(_subprocess(side, size, steps, work / f"{side}-{repeat}", "ROW ", work))
                print(f"  {side} on {size}, run {repeat + 1}/{repeats}: done", file=sys.stderr)
        for flip in flips:
            off = runs.pop(flip)
            process_rows.append(
                {
                    "model": size,
                    "switch": f"{flip}={PROCESS_ABLATIONS[flip]}",
                    "runs": len(off),
                    "afina": statistics.median(_speed(r) for r in runs["afina"]),
                    "off": statistics.median(_speed(r) for r in off),
                    # each afina run against the run with the switch turned back of the same round
                    "gain": statistics.median(_speed(a) / _speed(b) for a, b in zip(runs["afina"], off)),
                    **{
                        f"{key}_{side}": statistics.median(r[key] for r in results)
                        for key in ("page_faults", "kernel_seconds", "peak_rss_mb", "eval_loss")
                        for side, results in (("afina", runs["afina"]), ("off", off))
                    },
                }
            )
        for side, results in runs.items():
            # each run against the baseline's run of the same round
            ratios = [_speed(a) / _speed(b) for a, b in zip(results, runs["baseline"])]
            rows.append(
                {
                    **_row(side, size, results, peaks),
                    "ratio": statistics.median(ratios),
                    "ratios": ratios,
                    "switches": results[0].get("switches", {}),  # none for the baseline
                }
            )
        if not args.no_ablate:
            switch_rows += _subprocess("side", size, SIDE_STEPS[size], work / "side", "SIDE ", work)
            print(f"  switches side by side on {size}: done", file=sys.stderr)
    lines = [
        f"Matmul peak on this machine (1024², best of 15): fp32 {peaks['float32']:.0f} GFLOP/s, "
        f"bf16 {peaks['bfloat16']:.0f} GFLOP/s; medians of {repeats} runs per side, the sides alternating",
        "",
        "| model | side | dtype | tokens/s | speed-up | peak RSS | val loss | MFU |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['model']} ({row['parameters'] / 1e6:.1f}M) | {row['side']} | {row['dtype']} | "
            f"{row['tokens_per_second']:,.0f} | {row['ratio']:.2f}× | "
            f"{row['peak_rss_mb']:,.0f} MB | {row['eval_loss']:.4f} | {100 * row['mfu']:.1f}% |"
        )
    lines.append("")
    for row in rows:
        if row["side"] != "baseline":
            lines.append(
                f"{row['model']}, {row['side']}: speed-up per run {', '.join(f'{r:.2f}×' for r in row['ratios'])}"
                f"; switches: {', '.join(f'{k}={v}' for k, v in row['switches'].items())}"
            )
    if switch_rows:
        lines += [
            "",
            "What each switch pays: afina's training step against the same step with that switch turned back, "
            "taking turns in one process on the same batches (medians over the timed steps); the evaluation "
            "batch size: afina's whole evaluation of the validation split, its validation loss in the last column",
            "",
            "| model | turned back | steps | afina's step | with it turned back | the switch pays | "
            "mean train loss, afina / turned back |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for row in switch_rows:
            lines.append(
                f"| {row['model']} | {row['switch']} | {row['steps']} | {row['afina_ms']:,.0f} ms | "
                f"{row['off_ms']:,.0f} ms | {row['gain']:.2f}× | {row['afina_loss']:.4f} / {row['off_loss']:.4f} |"
            )
    if process_rows:
        lines += [
            "",
            "What a switch of the whole process pays: afina's whole runs above against as many with that "
            "switch turned back, alternating with them (medians; the page faults and the kernel's CPU seconds "
            "of each run's training)",
            "",
            "| model | turned back | runs | afina tokens/s | with it turned back | the switch pays | "
            "page faults, afina / turned back | kernel CPU, afina / turned back | peak RSS, afina / turned back | "
            "val loss, afina / turned back |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in process_rows:
            lines.append(
                f"| {row['model']} | {row['switch']} | {row['runs']} | {row['afina']:,.0f} | {row['off']:,.0f} | "
                f"{row['gain']:.2f}× | {row['page_faults_afina']:,.0f} / {row['page_faults_off']:,.0f} | "
                f"{row['kernel_seconds_afina']:.2f} s / {row['kernel_seconds_off']:.2f} s | "
                f"{row['peak_rss_mb_afina']:,.0f} / {row['peak_rss_mb_off']:,.0f} MB | "
                f"{row['eval_loss_afina']:.4f} / {row['eval_loss_off']:.4f} |"
            )
    print("\n".join(lines))
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n")


def _subprocess(side: str, size: str, steps: int, work: Path, tag: str, bases: Path):
    """One side (or the side-by-side switches) in its own process, training from the base in `bases`;
    returns what it printed after `tag`. A side named after a switch of `PROCESS_ABLATIONS`: afina with
    that switch turned back."""
    from common import run_for_json

    flip = ["--flip", side] if side in PROCESS_ABLATIONS else []
    return run_for_json(
        [
            sys.executable,
            __file__,
            "--one",
            "afina" if flip else side,
            *flip,
            "--model",
            size,
            "--steps",
            str(steps),
            "--work",
            str(work),
            "--bases",
            str(bases),
        ],
        tag,
        f"{side} on {size}",
    )


if __name__ == "__main__":
    main()
