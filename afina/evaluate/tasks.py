"""Scoring one model on the test split, in the way its objective declares (`SCORING`: generated
answers, predicted labels, or generated targets): what it predicts, each example's scores, and the
metrics with their bootstrap intervals; and base vs tuned compared on the same examples."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from afina.config import Config
from afina.evaluate.metrics import confusion, corpus_score, per_example_scores
from afina.evaluate.stats import Metric, bootstrap_ci, mean_of, paired_difference, permutation_p_value, ratio_of
from afina.models.generate import completion_losses, generate, generate_seq2seq
from afina.records import as_conversation, as_pair

# Per-example means, for which the paired test is a sign-flip permutation test; the others
# (ratios and corpus-level scores) get a paired bootstrap.
PER_EXAMPLE = ("exact_match", "token_f1", "rouge_l", "accuracy", "margin")


@dataclass
class Scored:
    """One model's outputs on the test split: predictions and per-example values (same order as records)."""

    predictions: list[str]
    references: list[str]
    values: dict[str, list[float]]
    labels: list[str] | None = None

    @property
    def size(self) -> int:
        """How many examples were scored."""
        return len(next(iter(self.values.values()), []))


def _label_inputs(records: list[dict], config: Config) -> tuple[list[str], list[str]]:
    return [r["text"] for r in records], [r["label"] for r in records]


def _target_inputs(records: list[dict], config: Config) -> tuple[list[str], list[str]]:
    pairs = [as_pair(r) for r in records]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _answer_inputs(records: list[dict], config: Config) -> tuple[list[str], list[str]]:
    convs = [as_conversation(r, config.data.system_prompt) for r in records]
    if convs and "text" in convs[0]:
        return [c["text"] for c in convs], []
    return [c["prompt"][-1]["content"] for c in convs], [c["completion"][-1]["content"] for c in convs]


def _pair_inputs(records: list[dict], config: Config) -> tuple[list[str], list[str]]:
    return [r["prompt"] for r in records], [r["chosen"] for r in records]


INPUTS = {"answers": _answer_inputs, "labels": _label_inputs, "targets": _target_inputs, "pairs": _pair_inputs}


def inputs_and_references(scoring: str, records: list[dict], config: Config) -> tuple[list[str], list[str]]:
    """The test split's inputs and references as the report shows them, for an objective's SCORING (for
    pairs: the prompts and their chosen answers)."""
    return INPUTS[scoring](records, config)


def score(
    scoring: str, model, tokenizer, records, config: Config, labels: list[str] | None, progress: str | None
) -> Scored:
    """One model scored on records, in the way an objective's SCORING names."""
    scorer = {
        "answers": score_generation,
        "labels": score_classification,
        "targets": score_seq2seq,
        "pairs": score_pairs,
    }[scoring]
    return scorer(model, tokenizer, records, config, progress, labels)


def score_generation(model, tokenizer, records, config: Config, progress: str | None = None, labels=None) -> Scored:
    """Generated answers against the references (and the completions' loss); plain text: the loss only."""
    convs = [as_conversation(r, config.data.system_prompt) for r in records]
    sums, counts = completion_losses(model, tokenizer, convs, config.evaluate.batch_size)
    values = {"loss_sum": sums, "tokens": counts}
    if not convs or "prompt" not in convs[0]:
        return Scored([], [], values)
    references = [c["completion"][-1]["content"] for c in convs]
    predictions = generate(
        model,
        tokenizer,
        [c["prompt"] for c in convs],
        config.evaluate.max_new_tokens,
        config.evaluate.batch_size,
        progress=progress,
    )
    return Scored(predictions, references, values | per_example_scores(predictions, references))


@torch.inference_mode()
def score_seq2seq(model, tokenizer, records, config: Config, progress: str | None = None, labels=None) -> Scored:
    """An encoder-decoder's generated targets against the references, and the targets' loss."""
    inputs, references = _target_inputs(records, config)
    sums, counts = [], []
    for start in range(0, len(inputs), config.evaluate.batch_size):
        batch = tokenizer(inputs[start : start + config.evaluate.batch_size], return_tensors="pt", padding=True)
        targets = tokenizer(
            text_target=[r + tokenizer.eos_token for r in references[start : start + len(batch["input_ids"])]],
            return_tensors="pt",
            padding=True,
            add_special_tokens=False,
        )["input_ids"]
        targets[targets == tokenizer.pad_token_id] = -100
        targets = targets.to(model.device)
        logits = model(**batch.to(model.device), labels=targets).logits.float()
        loss = torch.nn.functional.cross_entropy(logits.transpose(1, 2), targets, ignore_index=-100, reduction="none")
        sums += loss.sum(1).tolist()
        counts += (targets != -100).sum(1).tolist()
    predictions = generate_seq2seq(
        model, tokenizer, inputs, config.evaluate.max_new_tokens, config.evaluate.batch_size, progress=progress
    )
    return Scored(
        predictions, references, {"loss_sum": sums, "tokens": counts} | per_example_scores(predictions, references)
    )


@torch.inference_mode()
def score_classification(
    model, tokenizer, records, config: Config, progress: str | None = None, labels: list[str] | None = None
) -> Scored:
    """Predicted labels against the references, and the cross-entropy of the true label."""
    texts, references = _label_inputs(records, config)
    predicted, losses = [], []
    for start in range(0, len(texts), config.evaluate.batch_size):
        batch = tokenizer(
            texts[start : start + config.evaluate.batch_size],
            return_tensors="pt",
            padding=True,
            truncation=True,
            max_length=config.train.max_length,
        ).to(model.device)
        logits = model(**batch).logits.float()
        gold = torch.tensor([labels.index(r) for r in references[start : start + len(logits)]], device=logits.device)
        losses += torch.nn.functional.cross_entropy(logits, gold, reduction="none").tolist()
        predicted += [labels[i] for i in logits.argmax(-1).tolist()]
    correct = [float(p == r) for p, r in zip(predicted, references)]
    return Scored(predicted, references, {"loss": losses, "accuracy": correct}, labels=labels)


def score_pairs(model, tokenizer, records, config: Config, progress: str | None = None, labels=None) -> Scored:
    """A reward model on preference pairs: whether it scores the chosen answer above the rejected one, and
    by how much (the reward margin)."""
    from afina.align.rewards import score_conversations
    from afina.objectives.pairs import preference_examples

    examples = preference_examples(records, config)
    chosen = score_conversations(
        model, tokenizer, [e["prompt"] + e["chosen"] for e in examples], config.evaluate.batch_size
    )
    rejected = score_conversations(
        model, tokenizer, [e["prompt"] + e["rejected"] for e in examples], config.evaluate.batch_size
    )
    return pair_scores(chosen, rejected)


def pair_scores(chosen: list[float], rejected: list[float]) -> Scored:
    """Pairwise accuracy (ties count half) and margin from the scores of each pair's two answers."""
    correct = [1.0 if c > r else 0.5 if c == r else 0.0 for c, r in zip(chosen, rejected)]
    return Scored([], [], {"accuracy": correct, "margin": [c - r for c, r in zip(chosen, rejected)]})


def metric_functions(scored: Scored) -> dict[str, Metric]:
    """Each reported metric as a function of the example indices it is computed on."""
    v, preds, refs = scored.values, scored.predictions, scored.references
    if scored.labels is not None:
        from sklearn.metrics import f1_score

        labels = scored.labels
        return {
            "accuracy": mean_of(v["accuracy"]),
            "macro_f1": lambda idx: float(
                f1_score(
                    [refs[i] for i in idx], [preds[i] for i in idx], labels=labels, average="macro", zero_division=0
                )
            ),
            "loss": mean_of(v["loss"]),
        }
    if "margin" in v:  # preference pairs
        return {"accuracy": mean_of(v["accuracy"]), "margin": mean_of(v["margin"])}
    metrics: dict[str, Metric] = {}
    if "loss_sum" in v:  # a model's; a lookup (the cheapest baseline) has answers but no likelihood
        loss = ratio_of(v["loss_sum"], v["tokens"])
        metrics |= {"loss": loss, "perplexity": lambda idx: math.exp(min(loss(idx), 50))}
    if preds:
        metrics |= {name: mean_of(v[name]) for name in ("exact_match", "token_f1", "rouge_l")}
        metrics["bleu"] = corpus_score("bleu", preds, refs)
        metrics["chrf"] = corpus_score("chrf", preds, refs)
    return metrics


def summarize(scored: Scored, config: Config) -> dict:
    """The metrics of one model with their 95% bootstrap intervals (under "intervals")."""
    n = scored.size
    everything = np.arange(n)
    scores, intervals = {}, {}
    for name, metric in metric_functions(scored).items():
        scores[name] = metric(everything)
        intervals[name] = bootstrap_ci(metric, n, config.evaluate.bootstrap_samples, config.seed)
    if scored.labels is not None:
        scores["confusion_matrix"] = confusion(scored.predictions, scored.references, scored.labels)
    return scores | {"intervals": intervals}


def compare(base: Scored, tuned: Scored, config: Config) -> dict:
    """Tuned minus base for every metric, on the same examples: the difference, its paired-bootstrap
    interval and a p-value (sign-flip permutation test for per-example means, paired bootstrap otherwise)."""
    n = tuned.size
    samples, seed = config.evaluate.bootstrap_samples, config.seed
    base_metrics, tuned_metrics = metric_functions(base), metric_functions(tuned)
    comparison = {}
    for name, metric in tuned_metrics.items():
        if name not in base_metrics:
            continue
        comparison[name] = paired_difference(base_metrics[name], metric, n, samples, seed)
        if name in PER_EXAMPLE:
            comparison[name]["p_value"] = permutation_p_value(base.values[name], tuned.values[name], samples, seed)
            comparison[name]["test"] = "paired permutation"
        else:
            comparison[name]["test"] = "paired bootstrap"
    return comparison
