"""The evaluate stage: the tuned model and its base side by side on the test split.

Generation and seq2seq: loss, perplexity, and exact match / token F1 of greedy outputs.
Classification: loss, accuracy, macro-F1 and the confusion matrix.
Writes eval/eval.json and a self-contained eval/report.html into the run folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from afina.config import Config
from afina.data import load_split
from afina.errors import ConfigError
from afina.evaluate.metrics import exact_match, token_f1
from afina.evaluate.report import render_report
from afina.evaluate.tasks import (inputs_and_references, score_classification, score_generation,
                                  score_seq2seq)
from afina.models import load_model, resolve_base
from afina.models.families import label_kwargs
from afina.models.generate import load_trained
from afina.runfolder import atomic_dir, read_jsonl, write_json_atomic, write_text_atomic

__all__ = ["run_evaluate", "trained_artifact"]


def trained_artifact(run_dir: Path) -> Path:
    """The run's adapter/ or model/ folder, whichever training wrote."""
    for name in ("adapter", "model"):
        if (Path(run_dir) / name).is_dir():
            return Path(run_dir) / name
    raise ConfigError(f"no adapter/ or model/ in {run_dir}: run `afina train` first")


def _score(model, tokenizer, records, config: Config, task: str, labels, progress: str | None):
    if task == "classification":
        return score_classification(model, tokenizer, records, config, labels)
    if task == "seq2seq":
        return score_seq2seq(model, tokenizer, records, config, progress)
    return score_generation(model, tokenizer, records, config, progress)


def _examples(inputs, references, records, predictions: dict[str, list[str]]) -> list[dict]:
    examples = []
    for i, reference in enumerate(references):
        example = {"source_row": records[i]["source_row"], "prompt": inputs[i], "reference": reference}
        for name, predicted in predictions.items():
            if predicted:
                example |= {name: predicted[i], f"{name}_exact_match": exact_match(predicted[i], reference),
                            f"{name}_token_f1": token_f1(predicted[i], reference)}
        examples.append(example)
    return examples


def run_evaluate(config: Config, run_dir: Path, quiet: bool = False) -> dict:
    """Evaluate the run's result (and its base); returns what eval.json holds."""
    run_dir = Path(run_dir)
    summary_path = run_dir / "train_summary.json"
    train_summary = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
    task, labels = train_summary.get("task", "generation"), train_summary.get("labels")
    records = load_split(run_dir, "test")

    tuned, tokenizer = load_trained(trained_artifact(run_dir), config, task, labels)
    results = {"task": task, "test_rows": len(records), "models": {}}
    predictions = {}
    results["models"]["tuned"], predictions["tuned"] = _score(tuned, tokenizer, records, config, task, labels,
                                                               None if quiet else "generating (tuned)")
    if config.evaluate.compare_base:
        base = load_model(resolve_base(config), config, task, **label_kwargs(labels)).eval()
        if base.config.pad_token_id is None:
            base.config.pad_token_id = tokenizer.pad_token_id
        results["models"]["base"], predictions["base"] = _score(base, tokenizer, records, config, task, labels,
                                                                None if quiet else "generating (base)")
    inputs, references = inputs_and_references(records, task, config)
    results["examples"] = _examples(inputs, references, records, predictions)

    metrics_path = run_dir / "metrics.jsonl"
    history = read_jsonl(metrics_path) if metrics_path.is_file() else []
    with atomic_dir(run_dir / "eval") as tmp:
        write_json_atomic(tmp / "eval.json", results)
        write_text_atomic(tmp / "report.html", render_report(config, results, history, train_summary))
    return results
