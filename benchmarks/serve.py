"""Load test of the server: concurrent clients over loopback with the official openai client (asyncio, from this
process; the server is a second process), each streaming chat completions one after another. For each server
and number of clients: generated tokens/s, p50/p95 time to first token and latency, and errors.

All servers run at once (idle but for the one being measured) and take turns at each number of clients,
run after run, so each ratio is measured side by side. Servers, on the same model and prompts (greedy):
  afina, 1 adapter    `afina serve` of one LoRA adapter on the base (unmerged: peft's LoRA layers run)
  afina, 4 adapters   four adapters on one base, the requests spread over them in turn
  transformers        `transformers serve` of the first adapter merged into its base (it routes no adapters);
                      with --transformers-cb, also its continuous batching (paged attention)
Tokens are counted by tokenizing each answer with the model's tokenizer, the same for every server.

    python benchmarks/serve.py                      # demo base, 1/4/16/64 clients, 3 repeats (median)
    python benchmarks/serve.py --smoke              # tiny base, 1 and 4 clients: keeps the script working
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from generate_speed import questions as mixed_questions  # noqa: E402  (the generation table's prompts)

from common import print_table  # noqa: E402
from methods import base_for  # noqa: E402

KEY = "bench-key"
BIN = Path(sys.executable).parent


def make_adapters(base: str, work: Path, count: int) -> list[Path]:
    """`count` LoRA adapters on the base with small random weights (they change the answers a little), each
    saved with the base's tokenizer, and the first one merged into a model folder for transformers serve."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base)
    out = []
    for i in range(count):
        folder = work / f"adapter-{i}"
        if not (folder / "adapter_config.json").is_file():
            torch.manual_seed(i)
            model = AutoModelForCausalLM.from_pretrained(base)
            config = LoraConfig(r=16, lora_alpha=2, target_modules="all-linear", init_lora_weights=False)
            peft_model = get_peft_model(model, config)
            peft_model.save_pretrained(folder)
            tokenizer.save_pretrained(folder)
            if i == 0:
                peft_model.merge_and_unload().save_pretrained(work / "merged-0")
                tokenizer.save_pretrained(work / "merged-0")
        out.append(folder)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(command: list[str], port: int, log: Path):
    """A server process, until it answers /health (afina) or its first chat (transformers)."""
    import httpx2 as httpx

    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    with open(log, "w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{command[0]} exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code < 500:
                    break
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        if proc.poll() is None:
            proc.kill()


async def drive(url: str, models: list[str], texts: list[str], clients: int, requests: int, max_tokens: int,
                tokenizer) -> dict:  # fmt: skip
    """`clients` clients, each sending `requests` streamed chats one after another; per request its time to
    the first content and to the end, and its answer's tokens."""
    from openai import AsyncOpenAI

    client = AsyncOpenAI(base_url=url, api_key=KEY, max_retries=0, timeout=300)
    ttft, latency, tokens, errors = [], [], [], 0

    async def one(c: int) -> None:
        nonlocal errors
        for r in range(requests):
            i = c * requests + r
            start = time.perf_counter()
            first, text = None, ""
            try:
                stream = await client.chat.completions.create(
                    model=models[i % len(models)],
                    messages=[{"role": "user", "content": texts[i % len(texts)]}],
                    max_tokens=max_tokens,
                    temperature=0,
                    stream=True,
                )
                async for chunk in stream:
                    if chunk.choices and chunk.choices[0].delta.content:
                        first = first or time.perf_counter()
                        text += chunk.choices[0].delta.content
            except Exception:  # counted, not raised: a load test reports its errors
                errors += 1
                continue
            end = time.perf_counter()
            ttft.append((first or end) - start)
            latency.append(end - start)
            tokens.append(len(tokenizer(text, add_special_tokens=False)["input_ids"]))

    start = time.perf_counter()
    await asyncio.gather(*(one(c) for c in range(clients)))
    wall = time.perf_counter() - start
    await client.close()
    q = lambda xs, p: statistics.quantiles(xs, n=100, method="inclusive")[p - 1] if len(xs) > 1 else xs[0]  # noqa: E731
    return {
        "tokens_s": sum(tokens) / wall,
        "ttft_p50": q(ttft, 50),
        "ttft_p95": q(ttft, 95),
        "lat_p50": q(latency, 50),
        "lat_p95": q(latency, 95),
        "errors": errors,
        "answers": len(tokens),
        "tokens": sum(tokens),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--clients", default=None, help="comma-separated client counts (default 1,4,16,64)")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--max-tokens", type=int, default=48)
    parser.add_argument("--transformers-cb", action="store_true", help="also transformers serve --continuous-batching")
    parser.add_argument("--work", default=None)
    parser.add_argument("--out", default=None, help="also write the table to this file")
    args = parser.parse_args()
    levels = [int(c) for c in (args.clients or ("1,4" if args.smoke else "1,4,16,64")).split(",")]
    repeats = args.repeats or (1 if args.smoke else 3)
    work = Path(args.work or tempfile.mkdtemp(prefix="afina-serve-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    from transformers import AutoTokenizer

    base = base_for("tiny" if args.smoke else "demo", work)
    adapters = make_adapters(base, work, 4)
    tokenizer = AutoTokenizer.from_pretrained(base)
    questions = mixed_questions(64)

    afina = [str(BIN / "afina"), "serve", "--api-key", KEY, "--max-batch", "64", "--max-waiting", "256"]
    setups = [
        ("afina, 1 adapter", afina + ["--model", f"a0={adapters[0]}"], ["a0"]),
        ("afina, 4 adapters", afina + [a for i, p in enumerate(adapters) for a in ("--model", f"a{i}={p}")],
         [f"a{i}" for i in range(4)]),
        ("transformers", [str(BIN / "transformers"), "serve", str(work / "merged-0")], [str(work / "merged-0")]),
    ]  # fmt: skip
    if args.transformers_cb:
        setups.append(("transformers CB", setups[2][1] + ["--continuous-batching"], setups[2][2]))
    results: dict[tuple[str, int], list[dict]] = {}
    with contextlib.ExitStack() as running:  # every server up at once, measured in turn: ratios side by side
        urls = {}
        for name, command, models in setups:
            port = free_port()
            log = work / f"{name.replace(' ', '_')}.log"
            urls[name] = running.enter_context(server(command + ["--port", str(port)], port, log))
            asyncio.run(drive(urls[name], models, questions, 2, 2, args.max_tokens, tokenizer))  # warm up
        for repeat in range(repeats):
            for clients in levels:
                requests = max(2, 64 // clients) if not args.smoke else 2
                for name, _, models in setups:
                    run = asyncio.run(
                        drive(urls[name], models, questions, clients, requests, args.max_tokens, tokenizer)
                    )
                    results.setdefault((name, clients), []).append(run)
                    print(
                        f"run {repeat + 1}, {name}, {clients} clients: {run['tokens_s']:.0f} tokens/s", file=sys.stderr
                    )

    med = lambda name, c, k: statistics.median(r[k] for r in results[name, c])  # noqa: E731
    lines = [
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; base {Path(base).name}, "
        f"{args.max_tokens} tokens at most per answer, greedy; medians of {repeats} runs.",
        "",
        "| server | clients | tokens/s | TTFT p50 | TTFT p95 | latency p50 | latency p95 | errors | vs transformers |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, _, _ in setups:
        for c in levels:
            ratio = med(name, c, "tokens_s") / med("transformers", c, "tokens_s")
            lines.append(
                f"| {name} | {c} | {med(name, c, 'tokens_s'):.0f} | {med(name, c, 'ttft_p50') * 1000:.0f} ms | "
                f"{med(name, c, 'ttft_p95') * 1000:.0f} ms | {med(name, c, 'lat_p50') * 1000:.0f} ms | "
                f"{med(name, c, 'lat_p95') * 1000:.0f} ms | {sum(r['errors'] for r in results[name, c])} | "
                f"{ratio:.2f}× |"
            )
    spread = [med("afina, 4 adapters", c, "tokens_s") / med("afina, 1 adapter", c, "tokens_s") for c in levels]
    lines += [
        "",
        "4 adapters / 1 adapter, tokens/s: " + ", ".join(f"{c} clients {s:.2f}×" for c, s in zip(levels, spread)),
    ]
    print_table(lines, args.out)


if __name__ == "__main__":
    main()
