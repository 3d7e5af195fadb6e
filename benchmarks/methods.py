"""What each fine-tuning method costs: every method trains on the demo data for the same number of
optimizer steps, each in its own process (so peak RSS is its own), and the table says trainable
parameters, adapter size on disk, peak RSS, tokens/s, validation loss and the test metric.

    python benchmarks/methods.py --model all          # both tables of the README (about 12 minutes)
    python benchmarks/methods.py                      # demo base, every method, 150 steps
    python benchmarks/methods.py --model 100m         # ~100M model: lora, qlora, full, 10 steps
    python benchmarks/methods.py --smoke              # a few steps, tiny model: keeps the script working

Rows for the ~100M-parameter model use a Llama built from config (random weights) and batches of 4,
where the weights, not the activations, decide the memory: its test metric means nothing, its memory
and speed do.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Learning rates per method for the same budget: soft prompts and IA3 vectors need large steps (a method
# not listed runs at the LoRA rate).
LEARNING_RATES = {
    "full": 1e-3,
    "freeze": 1e-3,
    "lora": 3e-3,
    "dora": 3e-3,
    "qlora": 3e-3,
    "ia3": 3e-2,
    "prefix": 3e-2,
    "prompt": 3e-2,
    "ptuning": 3e-2,
    "adapter": 3e-3,
}
METHOD_ARGS = {
    "lora": {"r": 32, "alpha": 64},
    "dora": {"r": 32, "alpha": 64},
    "qlora": {"r": 32, "alpha": 64},
    "prefix": {"num_virtual_tokens": 16},
    "prompt": {"num_virtual_tokens": 16},
    "ptuning": {"num_virtual_tokens": 16},
    "adapter": {"reduction_factor": 8},
}
SIZES = {  # name: Llama shape of a model built from config (None: the demo's pretrained base)
    "demo": None,
    "100m": {"hidden_size": 768, "intermediate_size": 2048, "num_hidden_layers": 12, "num_attention_heads": 12},
}
# --smoke: a tiny base pretrained in seconds (cached apart from the demo's base)
TINY = [
    "model.base_model=afina:bench-tiny",
    "pretrain.corpus_sentences=1500",
    "pretrain.vocab_size=400",
    "pretrain.hidden_size=32",
    "pretrain.num_layers=2",
    "pretrain.num_heads=2",
    "pretrain.intermediate_size=64",
    "pretrain.block_size=64",
    "pretrain.max_steps=30",
    "pretrain.batch_size=8",
]


def base_for(size: str, work: Path, shapes: dict | None = None) -> str:
    """The base model folder for a size: the demo base (pretrained if missing) or one built from config
    with random weights, its shape from `shapes` (default SIZES): a Llama's, or any `model_type`'s, saved in
    its `dtype` (default float32), with the demo's tokenizer (the tiny base's where it says `tokenizer: tiny`)."""
    from afina.config import load_config
    from afina.models.pretrain import ensure_base

    shape = None if size == "tiny" else (shapes or SIZES)[size]
    # a shape's `tokenizer: tiny` takes the tiny base's (a smoke run builds no demo base)
    recipe = TINY if size == "tiny" or (shape or {}).get("tokenizer") == "tiny" else []
    config = load_config(ROOT / "examples" / "quickstart.yaml", recipe)
    pretrained = ensure_base(config.model, config.pretrain, quiet=True)
    if shape is None:
        return pretrained
    folder = work / f"base-{size}"
    if not (folder / "config.json").is_file():
        import torch
        from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(pretrained)
        shape = {key: value for key, value in shape.items() if key != "tokenizer"}
        shape = {
            "model_type": "llama",
            "dtype": "float32",
            "vocab_size": len(tokenizer),
            "num_key_value_heads": shape["num_attention_heads"],
            "pad_token_id": tokenizer.pad_token_id,
            "eos_token_id": tokenizer.eos_token_id,
            "bos_token_id": tokenizer.bos_token_id,
            **shape,
        }
        dtype = getattr(torch, shape.pop("dtype"))
        torch.manual_seed(0)
        model = AutoModelForCausalLM.from_config(AutoConfig.for_model(**shape), dtype=dtype)
        model.save_pretrained(folder)
        tokenizer.save_pretrained(folder)
    return str(folder)


BATCH_SIZES = {"100m": 4}
STEPS = {"demo": 150, "100m": 10, "tiny": 2}
METHODS = {"100m": ["lora", "qlora", "full"], "tiny": ["lora", "full"]}


def run_one(method: str, size: str, steps: int, work: Path, evaluate: bool) -> dict:
    """Train (and evaluate) one method in this process; return its row."""
    from afina.config import load_config
    from afina.pipeline import Options, stage_evaluate, stage_prepare, stage_train

    base = base_for(size, work)
    overrides = [
        f"name={method}-{size}",
        f"output_dir={work / 'runs'}",
        f"model.base_model={base}",
        f"method.name={method}",
        f"train.max_steps={steps}",
        f"train.eval_steps={max(1, steps // 2)}",
        f"train.learning_rate={LEARNING_RATES.get(method, LEARNING_RATES['lora'])}",
        "train.early_stopping_patience=null",
        f"registry.url=sqlite:///{work / 'registry.db'}",
    ]
    if size == "tiny":
        overrides += ["evaluate.max_new_tokens=8"]
    if size in BATCH_SIZES:
        overrides += [f"train.batch_size={BATCH_SIZES[size]}"]
    import yaml

    from common import demo_config

    raw = demo_config({"name": method, **METHOD_ARGS.get(method, {})})
    path = work / f"{method}-{size}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    config = load_config(path, overrides)
    stage_prepare(config, Options(quiet=True))
    summary = stage_train(config, Options(quiet=True)).to_dict()
    artifact = config.run.result()
    row = {
        "method": method,
        "model": size,
        "steps": summary["global_step"],
        "trainable": summary["parameters"]["trainable"],
        "trainable_percent": summary["parameters"]["percent"],
        "total": summary["parameters"]["total"],
        "size_mb": sum(p.stat().st_size for p in artifact.glob("*.safetensors")) / 2**20,
        "peak_rss_mb": summary["peak_memory_mb"],
        "tokens_per_second": summary["tokens_per_second"],
        "eval_loss": summary["best_eval_loss"],
        "test_token_f1": None,
    }
    if evaluate:
        row["test_token_f1"] = stage_evaluate(config, Options(quiet=True))["models"]["tuned"]["token_f1"]
    return row


def table(rows: list[dict]) -> str:
    lines = [
        "| model | method | trainable | trainable % | size on disk | peak RSS | tokens/s | val loss | test token F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        f1 = f"{r['test_token_f1']:.3f}" if r["test_token_f1"] is not None else "–"
        lines.append(
            f"| {r['model']} ({r['total'] / 1e6:.1f}M) | {r['method']} | {r['trainable']:,} | "
            f"{r['trainable_percent']:.2f}% | {r['size_mb']:.2f} MB | {r['peak_rss_mb']:,.0f} MB | "
            f"{r['tokens_per_second']:,.0f} | {r['eval_loss']:.3f} | {f1} |"
        )
    return "\n".join(lines)


def main() -> None:
    from afina.methods import all_methods

    from common import run_for_json

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=[*SIZES, "tiny", "all"], default="demo")
    parser.add_argument(
        "--methods",
        nargs="+",
        choices=list(all_methods()),
        help="default: every method on demo, lora/qlora/full on 100m",
    )
    parser.add_argument("--steps", type=int, help="optimizer steps (default: 150 on demo, 10 on 100m)")
    parser.add_argument("--no-eval", action="store_true", help="skip the test metric (generation)")
    parser.add_argument("--smoke", action="store_true", help="tiny model, 2 steps, lora and full: CI keeps it working")
    parser.add_argument("--work", help="working folder (default: a temporary one)")
    parser.add_argument("--out", help="also write the markdown table to this file")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one method in this process
    args = parser.parse_args()

    temporary = None if args.work else tempfile.TemporaryDirectory(prefix="afina-bench-")  # removed at exit
    work = Path(args.work or temporary.name)
    work.mkdir(parents=True, exist_ok=True)
    if args.one:
        row = run_one(args.one, args.model, args.steps or STEPS[args.model], work, evaluate=not args.no_eval)
        print("ROW " + json.dumps(row))
        return
    if args.smoke:
        args.model = "tiny"
    sizes = ["demo", "100m"] if args.model == "all" else [args.model]
    tables = []
    for size in sizes:
        rows = []
        for method in args.methods or METHODS.get(size, list(all_methods())):
            steps = args.steps or STEPS[size]
            command = [
                sys.executable,
                __file__,
                "--one",
                method,
                "--model",
                size,
                "--steps",
                str(steps),
                "--work",
                str(work),
            ] + (["--no-eval"] if args.no_eval or size == "100m" else [])
            rows.append(run_for_json(command, "ROW ", f"{method} on {size}"))
            print(f"  {method} on {size}: done", file=sys.stderr)
        tables.append(table(rows))
    print("\n\n".join(tables))
    if args.out:
        Path(args.out).write_text("\n\n".join(tables) + "\n")


if __name__ == "__main__":
    main()
