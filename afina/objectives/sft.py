"""Supervised fine-tuning of a causal LM: the loss on the answer only (TRL's SFTTrainer), from
prompt/completion, chat, plain-text or text+label records (a label becomes the answer to say)."""

from __future__ import annotations

from afina.models.heads import CAUSAL_LM
from afina.objectives import TEXT_METRICS
from afina.records import as_conversation

RECORDS = frozenset({"text", "prompt_completion", "chat", "classification"})
HEAD = CAUSAL_LM
AUTO_FOR = frozenset({"decoder"})
SPEED = frozenset({"padding_free", "answer_logits", "frozen_bf16"})
SCORING = "answers"
METRIC = "token_f1"
METRICS = TEXT_METRICS
CHECKS = frozenset({"retain", "memorization", "safety", "bias", "harness"})


def labels(train, validation, config) -> None:
    """A causal LM's head has no label set."""
    return None


def examples(records: list[dict], config) -> list[dict]:
    """TRL's conversational prompt/completion form (language-modeling form for plain text)."""
    return [as_conversation(r, config.data.system_prompt) for r in records]


def build_trainer(model, tokenizer, train, validation, config, args: dict, callbacks, switched):
    """TRL's SFTTrainer on padding-free rows with answer-only logits where `switched` says so."""
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    from afina.speed import PaddingFreeCollator, answer_logits_trainer

    sft_args = SFTConfig(
        **{**args, "max_length": config.train.max_length, "completion_only_loss": True, **config.train.trl}
    )  # train.trl over these two as well
    trainer_class = answer_logits_trainer(SFTTrainer) if switched.answer_logits else SFTTrainer
    collator = PaddingFreeCollator(tokenizer.pad_token_id) if switched.padding_free else None
    return trainer_class(
        model=model,
        args=sft_args,
        train_dataset=Dataset.from_list(train),
        eval_dataset=Dataset.from_list(validation) if validation else None,
        processing_class=tokenizer,
        callbacks=callbacks,
        data_collator=collator,
    )
