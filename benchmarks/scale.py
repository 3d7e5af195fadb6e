"""Real model sizes on one CPU: LoRA and QLoRA on Qwen2 models of ~0.5B and ~1.5B parameters, afina
against plain TRL + peft (train_speed.py's baseline; for QLoRA the base loaded in 4 bits as their guides
do), each run in its own process, the sides alternating run after run. The models have the shapes of
Qwen2.5-0.5B and Qwen2.5-1.5B (their vocabulary, tied embeddings), built from config with random weights
and saved in bf16 as hub checkpoints are, so they load by the same path as a downloaded one; they train
on the demo's data through the demo's tokenizer. Prints per size, method and side: peak RSS and its ratio
to the bf16 weights' size, tokens/s and the speed-up over the baseline of the same method, and MFU against
this machine's measured bf16 matmul peak. Beside afina's defaults (activation checkpointing on for QLoRA,
off for LoRA), the other setting of activation checkpointing (TRL's default is on); and QLoRA's peak RSS
over LoRA's.

    python benchmarks/scale.py                                  # both sizes, 3 runs a side
    python benchmarks/scale.py --sizes 0.5b --repeats 1         # one size, one run a side
    python benchmarks/scale.py --smoke --out table.md           # a tiny Qwen2 in bf16, 2 steps
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from train_speed import matmul_peak, run_afina, run_baseline  # noqa: E402

from common import print_table, run_for_json  # noqa: E402

QWEN2 = {"model_type": "qwen2", "dtype": "bfloat16", "tie_word_embeddings": True}
SHAPES = {  # Qwen2.5's published configs, less the context length (the demo's examples are short)
    "0.5b": QWEN2 | {"vocab_size": 151936, "hidden_size": 896, "intermediate_size": 4864,
                     "num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2},
    "1.5b": QWEN2 | {"vocab_size": 151936, "hidden_size": 1536, "intermediate_size": 8960,
                     "num_hidden_layers": 28, "num_attention_heads": 12, "num_key_value_heads": 2},
    "smoke": QWEN2 | {"tokenizer": "tiny", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                      "num_attention_heads": 4, "num_key_value_heads": 2},
}  # fmt: skip
STEPS = {"0.5b": 12, "1.5b": 8, "smoke": 2}
BATCH = 4
METHODS = ("lora", "qlora")
# what each row runs, per method: its side and its settings beyond afina's defaults (QLoRA's recompute
# activations, LoRA's do not); beside the defaults, the other setting of activation checkpointing
VARIANTS = {
    "lora": {
        "baseline": ("baseline", []),
        "afina": ("afina", []),
        "afina, activation checkpointing": ("afina", ["train.activation_checkpointing=true"]),
    },
    "qlora": {
        "baseline": ("baseline", []),
        "afina": ("afina", []),
        "afina, no activation checkpointing": ("afina", ["train.activation_checkpointing=false"]),
    },
}


def overrides(method: str, settings: list[str]) -> list[str]:
    """The run's settings beyond train_speed's: the method, a batch of 4 (evaluated 4 at a time too: at 16, the
    answers' logits over a 150k vocabulary outgrow a training step's memory), a validation split of a few rows
    (its loss is a check that the sides train the same model, not a result: the weights are random)."""
    extra = [f"method.name={method}", f"train.batch_size={BATCH}", "data.validation_size=0.02"]
    return extra + settings


def run_one(side: str, size: str, method: str, settings: list[str], steps: int, work: Path, bases: Path) -> dict:
    """One run in this process; its row, with this process's peak RSS."""
    import resource

    extra = overrides(method, settings)
    if side == "baseline":
        result = run_baseline(size, work, steps, bases, extra, SHAPES)
    else:
        result = run_afina(size, work, steps, bases, extra=extra + [f"train.eval_batch_size={BATCH}"], shapes=SHAPES)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def checkpoint_size(folder: Path) -> tuple[int, int]:
    """(parameters, bytes) of a base's safetensors weights, read from their headers."""
    from safetensors import safe_open

    parameters = 0
    for file in folder.glob("*.safetensors"):
        with safe_open(str(file), framework="pt") as handle:
            for key in handle.keys():
                shape = handle.get_slice(key).get_shape()
                parameters += math.prod(shape)
    return parameters, sum(f.stat().st_size for f in folder.glob("*.safetensors"))


def measure(size: str, method: str, variant: str, steps: int, repeat: int, work: Path) -> dict:
    """One run of a variant in its own process (so that its peak RSS is its own)."""
    side, settings = VARIANTS[method][variant]
    folder = work / f"{size}-{method}-{variant.replace(', ', '-').replace(' ', '_')}-{repeat}"
    command = [sys.executable, __file__, "--one", side, "--method", method, "--steps", str(steps),
               "--work", str(folder), "--bases", str(work), *(f"--set={s}" for s in settings)]  # fmt: skip
    command += ["--smoke"] if size == "smoke" else ["--sizes", size]
    return run_for_json(command, "ROW ", f"{variant} {method} on {size}")


def row(size: str, method: str, side: str, runs: list[dict], baseline: list[dict], weights: tuple, peak: float):
    """Medians over a side's runs; the speed-up is the median of each run's ratio to the baseline's run of
    the same round. MFU: LoRA's FLOPs per token (forward 2N and input-gradient 2N through the frozen base, 6
    per adapter weight) over the bf16 peak, N the checkpoint's parameters (a 4-bit base packs two in a byte,
    so the trainer's count would halve it)."""
    parameters, size_bytes = weights
    speed = lambda r: r["tokens"] / r["seconds"]  # noqa: E731
    tokens_per_second = statistics.median(speed(r) for r in runs)
    rss = statistics.median(r["peak_rss_mb"] for r in runs)
    flops = (4 * parameters + 6 * runs[0]["lora_parameters"]) * tokens_per_second
    return {
        "size": size,
        "parameters": parameters,
        "method": method,
        "side": side,
        "tokens_per_second": tokens_per_second,
        "speedup": statistics.median(speed(a) / speed(b) for a, b in zip(runs, baseline)),
        "peak_rss_mb": rss,
        "rss_to_weights": rss * 2**20 / size_bytes,
        "mfu": flops / (peak * 1e9),
        "eval_loss": statistics.median(r["eval_loss"] for r in runs),
    }


def _count(parameters: int) -> str:
    return f"{parameters / 1e9:.2f}B" if parameters >= 1e8 else f"{parameters / 1e6:.1f}M"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", choices=["0.5b", "1.5b"], default=["0.5b", "1.5b"])
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--repeats", type=int, default=3, help="runs per side (the table shows medians)")
    parser.add_argument("--steps", type=int, help="optimizer steps per run (default: 12 at 0.5B, 8 at 1.5B)")
    parser.add_argument("--smoke", action="store_true", help="a tiny Qwen2 in bf16, 2 steps, one run a side")
    parser.add_argument("--work", help="the folder for the bases and runs (default: a temporary one); reusing "
                        "one reuses the bases built there")  # fmt: skip
    parser.add_argument("--out", help="also write the table here")
    parser.add_argument("--one", choices=["baseline", "afina"], help=argparse.SUPPRESS)
    parser.add_argument("--method", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--set", action="append", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--bases", help=argparse.SUPPRESS)
    args = parser.parse_args()
    temporary = None if args.work else tempfile.TemporaryDirectory(prefix="afina-scale-")  # removed at exit
    work = Path(args.work or temporary.name)
    work.mkdir(parents=True, exist_ok=True)
    sizes = ["smoke"] if args.smoke else args.sizes
    if args.one:
        result = run_one(args.one, sizes[0], args.method, args.set, args.steps, work, Path(args.bases))
        print("ROW " + json.dumps(result))
        return
    from methods import base_for

    repeats = 1 if args.smoke else args.repeats
    peak = matmul_peak("bfloat16")
    rows = []
    for size in sizes:
        base = Path(base_for(size, work, SHAPES))  # built once, before any run is timed
        os.sync()
        weights = checkpoint_size(base)
        steps = args.steps or STEPS[size]
        for method in args.methods:
            runs = {variant: [] for variant in VARIANTS[method]}
            for repeat in range(repeats):  # the variants alternate, so that a slow spell of the machine hits all
                for variant in runs:
                    runs[variant].append(measure(size, method, variant, steps, repeat, work))
                    found = runs[variant][-1]
                    print(f"  {variant}, {method} on {size}, run {repeat + 1}/{repeats}: "
                          f"{found['tokens'] / found['seconds']:.1f} tokens/s, {found['peak_rss_mb']:,.0f} MB",
                          file=sys.stderr)  # fmt: skip
            rows += [row(size, method, side, found, runs["baseline"], weights, peak) for side, found in runs.items()]
    lines = [
        f"bf16 matmul peak on this machine (1024², best of 15): {peak:,.0f} GFLOP/s; medians of {repeats} runs "
        f"per side, batch {BATCH}, LoRA r16 on all linear layers",
        "",
        "| model | method | side | peak RSS | × bf16 weights | tokens/s | speed-up | MFU | val loss |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']} ({_count(r['parameters'])}) | {r['method']} | {r['side']} | "
            f"{r['peak_rss_mb']:,.0f} MB | {r['rss_to_weights']:.2f}× | {r['tokens_per_second']:,.1f} | "
            f"{r['speedup']:.2f}× | {100 * r['mfu']:.1f}% | {r['eval_loss']:.4f} |"
        )
    lines += _qlora_to_lora(rows)
    print_table(lines, args.out)


def _qlora_to_lora(rows: list[dict]) -> list[str]:
    """Per size measured with both methods, QLoRA's peak RSS over LoRA's: each at afina's defaults, and both
    recomputing activations."""
    peaks = {(r["size"], r["method"], r["side"]): r["peak_rss_mb"] for r in rows}
    lines = []
    for size in dict.fromkeys(r["size"] for r in rows):
        qlora, lora = peaks.get((size, "qlora", "afina")), peaks.get((size, "lora", "afina"))
        if qlora and lora:
            both = qlora / peaks[(size, "lora", "afina, activation checkpointing")]
            lines += ["", f"{size}: QLoRA's peak RSS {qlora / lora:.2f}× LoRA's at afina's defaults, {both:.2f}× "
                      "with both recomputing activations"]  # fmt: skip
    return lines


if __name__ == "__main__":
    main()
