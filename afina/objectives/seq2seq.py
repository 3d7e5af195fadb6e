"""Sequence-to-sequence: an encoder-decoder model (T5 style) learns to write the target from the
input, by transformers' Seq2SeqTrainer; a chat's earlier turns are joined into the input."""

from __future__ import annotations

from afina.models.heads import SEQ2SEQ_LM
from afina.objectives import TEXT_METRICS
from afina.records import as_pair

RECORDS = frozenset({"prompt_completion", "chat", "classification"})
HEAD = SEQ2SEQ_LM
AUTO_FOR = frozenset({"encoder-decoder"})
SPEED = frozenset({"frozen_bf16"})
SCORING = "targets"
METRIC = "token_f1"
METRICS = TEXT_METRICS
CHECKS = frozenset()


def labels(train, validation, config) -> None:
    """A seq2seq LM's head has no label set."""
    return None


def examples(records: list[dict], config) -> list[dict]:
    """Each record as an input text and a target text."""
    return [dict(zip(("prompt", "completion"), as_pair(r))) for r in records]


def build_trainer(model, tokenizer, train, validation, config, args: dict, callbacks, switched):
    """transformers' Seq2SeqTrainer over tokenized inputs and targets (the targets end with EOS)."""
    from datasets import Dataset
    from transformers import DataCollatorForSeq2Seq, Seq2SeqTrainer, Seq2SeqTrainingArguments

    def encode(records):
        inputs = tokenizer([r["prompt"] for r in records], truncation=True, max_length=config.train.max_length)
        targets = tokenizer(
            text_target=[r["completion"] + tokenizer.eos_token for r in records],
            truncation=True,
            max_length=config.train.max_length,
            add_special_tokens=False,
        )
        return Dataset.from_dict({**inputs, "labels": targets["input_ids"]})

    return Seq2SeqTrainer(
        model=model,
        args=Seq2SeqTrainingArguments(**args),
        train_dataset=encode(train),
        eval_dataset=encode(validation) if validation else None,
        processing_class=tokenizer,
        data_collator=DataCollatorForSeq2Seq(tokenizer, model=model),
        callbacks=callbacks,
    )
