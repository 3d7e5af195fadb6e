"""Text classification: a sequence-classification head trained on text+label records by
transformers' Trainer, the loss weighted by inverse label frequency (`train.class_weights`)."""

from __future__ import annotations

from collections import Counter

import torch

from afina.models.heads import SEQUENCE_CLASSIFICATION
from afina.objectives import HIGHER, LOWER

RECORDS = frozenset({"classification"})
HEAD = SEQUENCE_CLASSIFICATION
AUTO_FOR = frozenset({"encoder"})
SPEED = frozenset({"frozen_bf16"})
SCORING = "labels"
METRIC = "macro_f1"
METRICS = {"loss": LOWER, "accuracy": HIGHER, "macro_f1": HIGHER}
CHECKS = frozenset({"bias"})


def labels(train, validation, config) -> list[str]:
    """`data.labels` when given, else every label the train and validation splits hold, sorted."""
    if config.data.labels:
        return list(config.data.labels)
    return sorted({r["label"] for r in train + validation})


def examples(records: list[dict], config) -> list[dict]:
    """The text+label records as they are."""
    return records


def class_weights(labels: list[int], num_labels: int) -> torch.Tensor:
    """Inverse label frequency, normalised so a balanced set gets weight 1 for every class."""
    counts = Counter(labels)
    return torch.tensor([len(labels) / (num_labels * counts[i]) if counts[i] else 0.0 for i in range(num_labels)])


def build_trainer(model, tokenizer, train, validation, config, args: dict, callbacks, switched):
    """transformers' Trainer over the tokenized texts and label ids, with class weights when asked."""
    from datasets import Dataset
    from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

    label2id = model.config.label2id

    def encode(records):
        encoded = tokenizer([r["text"] for r in records], truncation=True, max_length=config.train.max_length)
        return Dataset.from_dict({**encoded, "labels": [label2id[r["label"]] for r in records]})

    train_set = encode(train)
    loss_func = None
    if config.train.class_weights:
        weights = class_weights(train_set["labels"], len(label2id))

        def loss_func(outputs, labels, num_items_in_batch=None):
            logits = outputs["logits"]
            return torch.nn.functional.cross_entropy(logits.float(), labels, weight=weights.to(logits.device))

    return Trainer(
        model=model,
        args=TrainingArguments(**args),
        train_dataset=train_set,
        eval_dataset=encode(validation) if validation else None,
        processing_class=tokenizer,
        data_collator=DataCollatorWithPadding(tokenizer),
        callbacks=callbacks,
        compute_loss_func=loss_func,
    )
