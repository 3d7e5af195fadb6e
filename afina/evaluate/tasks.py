"""Scoring one model on the test split, per task: what it predicts and the metrics of those predictions."""

from __future__ import annotations

import math

import torch

from afina.config import Config
from afina.data import as_conversation, as_pair
from afina.evaluate.metrics import answer_scores, classification_scores
from afina.models.generate import completion_loss, generate, generate_seq2seq


def inputs_and_references(records: list[dict], task: str, config: Config) -> tuple[list[str], list[str]]:
    if task == "classification":
        return [r["text"] for r in records], [r["label"] for r in records]
    if task == "seq2seq":
        pairs = [as_pair(r) for r in records]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    convs = [as_conversation(r, config.data.system_prompt) for r in records]
    if convs and "text" in convs[0]:
        return [c["text"] for c in convs], []
    return [c["prompt"][-1]["content"] for c in convs], [c["completion"][-1]["content"] for c in convs]


def _perplexity(loss: float) -> dict:
    return {"loss": loss, "perplexity": math.exp(min(loss, 50))}


def score_generation(model, tokenizer, records, config: Config, progress: str | None):
    convs = [as_conversation(r, config.data.system_prompt) for r in records]
    scores = _perplexity(completion_loss(model, tokenizer, convs, config.evaluate.batch_size))
    if not convs or "prompt" not in convs[0]:
        return scores, []
    predictions = generate(model, tokenizer, [c["prompt"] for c in convs], config.evaluate.max_new_tokens,
                           config.evaluate.batch_size, progress=progress)
    return scores | answer_scores(predictions, [c["completion"][-1]["content"] for c in convs]), predictions


@torch.inference_mode()
def score_seq2seq(model, tokenizer, records, config: Config, progress: str | None):
    inputs, references = inputs_and_references(records, "seq2seq", config)
    total, count = 0.0, 0
    for start in range(0, len(inputs), config.evaluate.batch_size):
        batch = tokenizer(inputs[start:start + config.evaluate.batch_size], return_tensors="pt", padding=True)
        targets = tokenizer(text_target=[r + tokenizer.eos_token for r in references[start:start + len(batch["input_ids"])]],
                            return_tensors="pt", padding=True, add_special_tokens=False)["input_ids"]
        targets[targets == tokenizer.pad_token_id] = -100
        logits = model(**batch.to(model.device), labels=targets.to(model.device)).logits.float()
        total += torch.nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten().to(model.device),
                                                   ignore_index=-100, reduction="sum").item()
        count += int((targets != -100).sum())
    predictions = generate_seq2seq(model, tokenizer, inputs, config.evaluate.max_new_tokens,
                                   config.evaluate.batch_size, progress=progress)
    return _perplexity(total / max(count, 1)) | answer_scores(predictions, references), predictions


@torch.inference_mode()
def score_classification(model, tokenizer, records, config: Config, labels: list[str]):
    texts, references = inputs_and_references(records, "classification", config)
    predicted, total = [], 0.0
    for start in range(0, len(texts), config.evaluate.batch_size):
        batch = tokenizer(texts[start:start + config.evaluate.batch_size], return_tensors="pt", padding=True,
                          truncation=True, max_length=config.train.max_length).to(model.device)
        logits = model(**batch).logits.float()
        gold = torch.tensor([labels.index(r) for r in references[start:start + len(logits)]], device=logits.device)
        total += torch.nn.functional.cross_entropy(logits, gold, reduction="sum").item()
        predicted += [labels[i] for i in logits.argmax(-1).tolist()]
    return {"loss": total / max(len(texts), 1)} | classification_scores(predicted, references, labels), predicted
