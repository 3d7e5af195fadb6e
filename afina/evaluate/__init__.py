"""The evaluate stage: the tuned model and its base side by side on the test split.

Loss and perplexity on the reference answers, and exact match / token F1 on greedy generations.
Writes eval/eval.json and a self-contained eval/report.html into the run folder.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from afina.config import Config
from afina.data import as_conversation, load_split
from afina.errors import ConfigError
from afina.evaluate.metrics import answer_scores, exact_match, token_f1
from afina.evaluate.report import render_report
from afina.models import load_causal_lm, resolve_base
from afina.models.generate import completion_loss, generate, load_trained
from afina.runfolder import atomic_dir, read_jsonl, write_json_atomic, write_text_atomic

__all__ = ["run_evaluate", "trained_artifact"]


def trained_artifact(run_dir: Path) -> Path:
    """The run's adapter/ or model/ folder, whichever training wrote."""
    for name in ("adapter", "model"):
        if (Path(run_dir) / name).is_dir():
            return Path(run_dir) / name
    raise ConfigError(f"no adapter/ or model/ in {run_dir}: run `afina train` first")


def _score(model, tokenizer, conversations: list[dict], config: Config, label: str | None) -> tuple[dict, list[str]]:
    loss = completion_loss(model, tokenizer, conversations, config.evaluate.batch_size)
    scores = {"loss": loss, "perplexity": math.exp(min(loss, 50))}
    predictions: list[str] = []
    if conversations and "prompt" in conversations[0]:
        predictions = generate(model, tokenizer, [c["prompt"] for c in conversations],
                               config.evaluate.max_new_tokens, config.evaluate.batch_size, progress=label)
        scores |= answer_scores(predictions, [c["completion"][-1]["content"] for c in conversations])
    return scores, predictions


def run_evaluate(config: Config, run_dir: Path, quiet: bool = False) -> dict:
    """Evaluate the run's result (and its base); returns what eval.json holds."""
    run_dir = Path(run_dir)
    records = load_split(run_dir, "test")
    conversations = [as_conversation(r, config.data.system_prompt) for r in records]
    tuned, tokenizer = load_trained(trained_artifact(run_dir), config)
    results = {"test_rows": len(records), "models": {}}
    tuned_scores, tuned_predictions = _score(tuned, tokenizer, conversations, config,
                                             None if quiet else "generating (tuned)")
    results["models"]["tuned"] = tuned_scores
    base_predictions: list[str] = []
    if config.evaluate.compare_base:
        base = load_causal_lm(resolve_base(config), config).eval()
        results["models"]["base"], base_predictions = _score(base, tokenizer, conversations, config,
                                                             None if quiet else "generating (base)")

    examples = []
    for i, conv in enumerate(conversations):
        if "prompt" not in conv:
            break
        reference = conv["completion"][-1]["content"]
        example = {"source_row": records[i]["source_row"], "prompt": conv["prompt"][-1]["content"],
                   "reference": reference, "tuned": tuned_predictions[i],
                   "tuned_exact_match": exact_match(tuned_predictions[i], reference),
                   "tuned_token_f1": token_f1(tuned_predictions[i], reference)}
        if base_predictions:
            example |= {"base": base_predictions[i], "base_exact_match": exact_match(base_predictions[i], reference),
                        "base_token_f1": token_f1(base_predictions[i], reference)}
        examples.append(example)
    results["examples"] = examples

    metrics_path = run_dir / "metrics.jsonl"
    history = read_jsonl(metrics_path) if metrics_path.is_file() else []
    summary_path = run_dir / "train_summary.json"
    train_summary = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
    with atomic_dir(run_dir / "eval") as tmp:
        write_json_atomic(tmp / "eval.json", results)
        write_text_atomic(tmp / "report.html", render_report(config, results, history, train_summary))
    return results
