"""Memorization and privacy: canary exposure, verbatim extraction of training records, PII in outputs.

Exposure follows Carlini et al., "The Secret Sharer" (2019): the true secret's log-perplexity is ranked
among random candidates of the same format; exposure = log2 |space| - log2 rank. With a sample of
candidates the rank is only resolved down to 1 in (n+1), so the report also gives the estimate that
extrapolates from a skew-normal fit of the candidates' log-perplexities (the paper's section 4.3).
No library computes either, so both are written here.
"""

from __future__ import annotations

import math
import random

import numpy as np

from afina.config import Config
from afina.models.generate import completion_losses, generate_ids
from afina.records import as_conversation
from afina.records.canaries import canary_record, random_secrets
from afina.records.pii import find_pii


def exposure_from_rank(canary_loss: float, candidate_losses: list[float]) -> tuple[int, float]:
    """(rank of the canary among itself and the candidates, 1 = most likely; exposure in bits
    = log2(n + 1) - log2(rank), the sampled estimate of log2 |space| - log2 rank)."""
    rank = 1 + sum(1 for loss in candidate_losses if loss < canary_loss)
    return rank, math.log2(len(candidate_losses) + 1) - math.log2(rank)


def exposure_extrapolated(canary_loss: float, candidate_losses: list[float], space: int) -> float:
    """-log2 P(a random secret is at least as likely as the canary), from a skew-normal fit of the
    candidates' losses; capped at log2 |space| (the canary is then the most likely secret of all)."""
    from scipy.stats import skewnorm

    losses = np.asarray(candidate_losses, dtype=float)
    if losses.std() == 0:
        return 0.0 if canary_loss >= losses[0] else math.log2(space)
    shape, loc, scale = skewnorm.fit(losses)
    tail = float(skewnorm.cdf(canary_loss, shape, loc, scale))
    return min(math.log2(space), -math.log2(max(tail, 1.0 / space)))


def canary_exposure(model, tokenizer, canaries: list[dict], kind: str, config: Config) -> list[dict]:
    """Exposure of each planted canary."""
    candidates = random_secrets(config.evaluate.memorization.candidates, config.seed)
    results = []
    for canary in canaries:
        convs = [
            as_conversation(canary_record(canary, kind, secret), config.data.system_prompt)
            for secret in [canary["secret"], *candidates]
        ]
        losses, _ = completion_losses(model, tokenizer, convs, max(config.evaluate.batch_size, 64))
        rank, exposure = exposure_from_rank(losses[0], losses[1:])
        results.append(
            {
                "id": canary["id"],
                "repeats": canary["repeats"],
                "rank": rank,
                "candidates": len(candidates),
                "exposure_sampled": exposure,
                "exposure": exposure_extrapolated(losses[0], losses[1:], canary["space"]),
                "max_exposure": math.log2(canary["space"]),
            }
        )
    return results


def _prefix_and_rest(tokenizer, record: dict, config: Config) -> tuple[str, list[int]] | None:
    """The text a model is prompted with (the record's prompt and the first tokens of its answer) and the
    answer's remaining tokens, which it must reproduce exactly."""
    conv = as_conversation(record, config.data.system_prompt)
    k = config.evaluate.memorization.prefix_tokens
    if "text" in conv:
        ids = tokenizer(conv["text"], add_special_tokens=False)["input_ids"]
        k = max(k, 8)  # plain text has no prompt: the prefix is the only context
        head, answer = "", ids
    else:
        head = tokenizer.apply_chat_template(conv["prompt"], add_generation_prompt=True, tokenize=False)
        answer = tokenizer(conv["completion"][-1]["content"], add_special_tokens=False)["input_ids"]
    rest = answer[k : k + config.evaluate.max_new_tokens]
    if not rest:
        return None
    return head + tokenizer.decode(answer[:k]), rest


def verbatim_extraction(model, tokenizer, train: list[dict], config: Config) -> dict:
    """Share of training records (canaries excluded) whose answer the model continues verbatim from a prefix."""
    pool = [r for r in train if "canary" not in r]
    chosen = random.Random(f"extraction-{config.seed}").sample(
        pool, min(len(pool), config.evaluate.memorization.extraction_records)
    )
    pairs = [p for p in (_prefix_and_rest(tokenizer, r, config) for r in chosen) if p is not None]
    if not pairs:
        return {"records": 0, "extracted": 0, "rate": 0.0}
    width = max(len(rest) for _, rest in pairs)
    outputs = generate_ids(model, tokenizer, [prefix for prefix, _ in pairs], width, config.evaluate.batch_size)
    extracted = [out[: len(rest)] == rest for out, (_, rest) in zip(outputs, pairs)]
    return {
        "records": len(pairs),
        "extracted": sum(extracted),
        "rate": sum(extracted) / len(pairs),
        "prefix_tokens": config.evaluate.memorization.prefix_tokens,
    }


def pii_in_outputs(outputs: list[str], prompts: list[str], train_text: str, allow: list[str]) -> dict:
    """PII in a model's answers to held-out prompts: counts per type, the share of answers with PII that
    the prompt did not contain, and whether each value appears in the training data (leaked)."""
    allowed = {a.strip().lower() for a in allow}
    per_type: dict[str, int] = {}
    findings, answers_with_pii = [], 0
    for i, (output, prompt) in enumerate(zip(outputs, prompts)):
        new = [f for f in find_pii(output) if f["value"] not in prompt and f["value"].lower() not in allowed]
        answers_with_pii += bool(new)
        for finding in new:
            per_type[finding["type"]] = per_type.get(finding["type"], 0) + 1
            findings.append({**finding, "example": i, "in_training_data": finding["value"] in train_text})
    return {
        "answers": len(outputs),
        "answers_with_pii": answers_with_pii,
        "rate": answers_with_pii / max(len(outputs), 1),
        "per_type": per_type,
        "leaked_from_training": sum(f["in_training_data"] for f in findings),
        "findings": findings[:50],
    }
