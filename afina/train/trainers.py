"""One trainer per task, built from the same arguments: TRL's SFTTrainer for generation (loss on
the answer only), transformers' Trainer for classification (with class weights) and
Seq2SeqTrainer for encoder-decoder models."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import torch

from afina.config import Config
from afina.hardware import use_bf16


def training_args(config: Config, run_dir: Path, has_validation: bool, quiet: bool) -> dict:
    """TrainingArguments shared by every task, with `train.trl` passed straight through over them."""
    t = config.train
    return {**dict(
        output_dir=str(run_dir / "checkpoints"), report_to=[],  # TensorBoard is added as a callback
        num_train_epochs=t.epochs, max_steps=t.max_steps, per_device_train_batch_size=t.batch_size,
        per_device_eval_batch_size=t.eval_batch_size or max(t.batch_size, 16),
        gradient_accumulation_steps=t.gradient_accumulation_steps,
        learning_rate=t.learning_rate, lr_scheduler_type=t.lr_scheduler, warmup_steps=t.warmup_ratio,  # <1: a ratio
        weight_decay=t.weight_decay, eval_strategy="steps" if has_validation else "no", eval_steps=t.eval_steps,
        save_strategy="steps", save_steps=t.eval_steps, save_total_limit=t.save_total_limit,
        logging_steps=max(1, min(10, t.eval_steps // 2)),
        load_best_model_at_end=has_validation and t.early_stopping_patience is not None,
        metric_for_best_model="eval_loss", greater_is_better=False, include_num_input_tokens_seen="non_padding",
        seed=config.seed, data_seed=config.seed, bf16=use_bf16(t.bf16), use_cpu=not torch.cuda.is_available(),
        disable_tqdm=quiet, activation_checkpointing=t.activation_checkpointing,
    ), **t.trl}


def sft_trainer(model, tokenizer, train_records, eval_records, config: Config, args: dict, callbacks,
                switches: dict):
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    from afina.train import speed

    sft_args = SFTConfig(**{**args, "max_length": config.train.max_length, "completion_only_loss": True,
                            **config.train.trl})  # train.trl over these two as well
    trainer_class = speed.answer_logits_trainer(SFTTrainer) if switches["answer_logits"] else SFTTrainer
    collator = speed.PaddingFreeCollator(tokenizer.pad_token_id) if switches["padding_free"] else None
    return trainer_class(model=model, args=sft_args, train_dataset=Dataset.from_list(train_records),
                         eval_dataset=Dataset.from_list(eval_records) if eval_records else None,
                         processing_class=tokenizer, callbacks=callbacks, data_collator=collator)


def class_weights(labels: list[int], num_labels: int) -> torch.Tensor:
    """Inverse label frequency, normalised so a balanced set gets weight 1 for every class."""
    counts = Counter(labels)
    return torch.tensor([len(labels) / (num_labels * counts[i]) if counts[i] else 0.0 for i in range(num_labels)])


def classification_trainer(model, tokenizer, train_records, eval_records, config: Config, args: dict, callbacks,
                           label2id: dict[str, int]):
    from datasets import Dataset
    from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

    def encode(records):
        encoded = tokenizer([r["text"] for r in records], truncation=True, max_length=config.train.max_length)
        return Dataset.from_dict({**encoded, "labels": [label2id[r["label"]] for r in records]})

    train_set = encode(train_records)
    loss_func = None
    if config.train.class_weights:
        weights = class_weights(train_set["labels"], len(label2id))

        def loss_func(outputs, labels, num_items_in_batch=None):
            logits = outputs["logits"]
            return torch.nn.functional.cross_entropy(logits.float(), labels, weight=weights.to(logits.device))

    return Trainer(model=model, args=TrainingArguments(**args), train_dataset=train_set,
                   eval_dataset=encode(eval_records) if eval_records else None, processing_class=tokenizer,
                   data_collator=DataCollatorWithPadding(tokenizer), callbacks=callbacks, compute_loss_func=loss_func)


def seq2seq_trainer(model, tokenizer, train_records, eval_records, config: Config, args: dict, callbacks):
    from datasets import Dataset
    from transformers import DataCollatorForSeq2Seq, Seq2SeqTrainer, Seq2SeqTrainingArguments

    def encode(records):
        inputs = tokenizer([r["prompt"] for r in records], truncation=True, max_length=config.train.max_length)
        targets = tokenizer(text_target=[r["completion"] + tokenizer.eos_token for r in records], truncation=True,
                            max_length=config.train.max_length, add_special_tokens=False)
        return Dataset.from_dict({**inputs, "labels": targets["input_ids"]})

    return Seq2SeqTrainer(model=model, args=Seq2SeqTrainingArguments(**args),
                          train_dataset=encode(train_records),
                          eval_dataset=encode(eval_records) if eval_records else None, processing_class=tokenizer,
                          data_collator=DataCollatorForSeq2Seq(tokenizer, model=model), callbacks=callbacks)
