"""Generation speed: generated tokens/s for one batch of prompts of mixed lengths, on the same model, by
(a) a plain `model.generate` loop, one prompt at a time; (b) afina's generation path (`generate_ids`:
left-padded batches, greedy) at several batch sizes, in fp32 and under bf16 autocast, with transformers'
dynamic KV cache and with its static one; (c) transformers'
continuous batching (`model.generate_batch`). Each is timed `--repeats` times and the median is
reported, with how many answers are token for token the plain loop's (fp32 greedy is the reference).

    python benchmarks/generate_speed.py                 # demo base: 64 prompts, 48 new tokens
    python benchmarks/generate_speed.py --smoke         # tiny model, few prompts: keeps the script working
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from common import print_table  # noqa: E402
from methods import base_for  # noqa: E402  (the same bases as the methods table)


def questions(count: int) -> list[str]:
    """Held-out FAQ questions, some wrapped in longer customer messages: texts of mixed lengths."""
    import csv

    with open(ROOT / "examples" / "data" / "faq_soporte_test.csv", encoding="utf-8") as f:
        held_out = [row["pregunta"] for row in csv.DictReader(f)]
    padding = [
        "",
        "Hola, buenos días. ",
        "Hola, les escribo porque hice un pedido la semana pasada y tengo una duda "
        "antes de decidir si compro otro producto para mi madre, que vive en otra ciudad. ",
    ]
    return [padding[i % 3] + held_out[i % len(held_out)] for i in range(count)]


def prompts(tokenizer, count: int) -> list[str]:
    """questions() as chat prompts, templated."""
    return [
        tokenizer.apply_chat_template([{"role": "user", "content": t}], add_generation_prompt=True, tokenize=False)
        for t in questions(count)
    ]


def _trim(ids: list[int], eos: int) -> list[int]:
    return ids[: ids.index(eos)] if eos in ids else ids


def plain_loop(model, tokenizer, texts, max_new_tokens) -> list[list[int]]:
    out = []
    for text in texts:
        batch = tokenizer(text, return_tensors="pt", add_special_tokens=False)
        generated = model.generate(
            **batch,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
        )
        out.append(_trim(generated[0, batch["input_ids"].shape[1] :].tolist(), tokenizer.eos_token_id))
    return out


def continuous_batching(model, tokenizer, texts, max_new_tokens) -> list[list[int]]:
    from transformers import GenerationConfig

    ids = [tokenizer(t, add_special_tokens=False)["input_ids"] for t in texts]
    config = GenerationConfig(
        max_new_tokens=max_new_tokens,
        do_sample=False,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    results = model.generate_batch(ids, generation_config=config, progress_bar=False)
    return [_trim(list(r.generated_tokens), tokenizer.eos_token_id) for r in results.values()]


def measure(run, repeats: int) -> tuple[float, list[list[int]]]:
    """Median seconds over repeats (after one warm-up run) and the outputs."""
    outputs = run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        outputs = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=["demo", "tiny"], default="demo")
    parser.add_argument("--prompts", type=int, default=64)
    parser.add_argument("--max-new-tokens", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny model, 6 prompts, 4 tokens, 1 repeat")
    parser.add_argument("--work")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.smoke:
        args.model, args.prompts, args.max_new_tokens, args.repeats = "tiny", 6, 4, 1

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from afina.models.generate import generate_ids

    temporary = None if args.work else tempfile.TemporaryDirectory(prefix="afina-gen-")  # removed at exit
    work = Path(args.work or temporary.name)
    path = base_for(args.model, work)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()
    texts = prompts(tokenizer, args.prompts)
    n, new = args.prompts, args.max_new_tokens

    def bf16():
        return torch.autocast("cpu", dtype=torch.bfloat16)

    cases = [
        ("plain generate loop", "fp32", 1, lambda: plain_loop(model, tokenizer, texts, new), contextlib.nullcontext)
    ]
    for batch in sorted({8, 32, n} if not args.smoke else {2, n}):
        for dtype, context in (("fp32", contextlib.nullcontext), ("bf16 autocast", bf16)):
            cases.append(
                (
                    "afina generate_ids",
                    dtype,
                    batch,
                    lambda b=batch: generate_ids(model, tokenizer, texts, new, b),
                    context,
                )
            )
    for batch in sorted({32, n} if not args.smoke else {n}):  # the KV cache: transformers' dynamic one above
        cases.append(
            (
                "afina generate_ids, static KV cache",
                "fp32",
                batch,
                lambda b=batch: generate_ids(model, tokenizer, texts, new, b, cache_implementation="static"),
                contextlib.nullcontext,
            )
        )
    cases.append(
        (
            "continuous batching (generate_batch)",
            "fp32",
            "dynamic",
            lambda: continuous_batching(model, tokenizer, texts, new),
            contextlib.nullcontext,
        )
    )

    rows, reference = [], None
    for name, dtype, batch, run, context in cases:
        # continuous batching generates on its own thread, where tensors made under inference_mode cannot be updated
        grad_off = torch.no_grad if batch == "dynamic" else torch.inference_mode
        with grad_off(), context():
            seconds, outputs = measure(run, args.repeats)
        if sum(len(o) for o in outputs) == 0:
            raise SystemExit(f"{name} generated nothing: see the log above")
        reference = reference or outputs
        tokens = sum(len(o) for o in outputs)
        same = sum(o == r for o, r in zip(outputs, reference))
        rows.append((name, dtype, batch, tokens, seconds, tokens / seconds, same))
        print(f"{name} {dtype} batch {batch}: {tokens / seconds:.0f} tokens/s", file=sys.stderr)
    base = rows[0][5]
    lines = [
        f"Model: {args.model} ({sum(p.numel() for p in model.parameters()):,} parameters); {n} prompts of "
        f"{min(len(tokenizer(t)['input_ids']) for t in texts)}-{max(len(tokenizer(t)['input_ids']) for t in texts)} "
        f"tokens; up to {new} new tokens; greedy; torch threads {torch.get_num_threads()}; median of {args.repeats}.",
        "",
        "| path | dtype | batch | generated tokens | seconds | tokens/s | × loop | answers = loop's |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {name} | {dtype} | {batch} | {tokens:,} | {seconds:.2f} | {rate:,.0f} | {rate / base:.2f} | {same}/{n} |"
        for name, dtype, batch, tokens, seconds, rate, same in rows
    ]
    print_table(lines, args.out)


if __name__ == "__main__":
    main()
