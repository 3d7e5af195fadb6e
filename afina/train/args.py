"""The training arguments every objective's trainer is built from, with `train.trl` passed straight
through over them."""

from __future__ import annotations

from pathlib import Path

import torch

from afina.config import Config
from afina.hardware import use_bf16
from afina.methods import get_method
from afina.terminal import bars


def training_args(config: Config, checkpoints: Path, has_validation: bool, quiet: bool) -> dict:
    """TrainingArguments shared by every objective (TRL's config classes extend them)."""
    t = config.train
    recompute = t.activation_checkpointing
    if recompute is None:  # TRL's name for it in train.trl, else the method's choice
        recompute = t.trl.get("gradient_checkpointing", get_method(config.method.name).ACTIVATION_CHECKPOINTING)
    return {
        **dict(
            output_dir=str(checkpoints),
            report_to=[],  # TensorBoard is added as a callback
            num_train_epochs=t.epochs,
            max_steps=t.max_steps,
            per_device_train_batch_size=t.batch_size,
            per_device_eval_batch_size=t.eval_batch_size or max(t.batch_size, 16),
            gradient_accumulation_steps=t.gradient_accumulation_steps,
            learning_rate=t.learning_rate,
            lr_scheduler_type=t.lr_scheduler,
            warmup_steps=t.warmup_ratio,  # <1: a ratio
            weight_decay=t.weight_decay,
            eval_strategy="steps" if has_validation else "no",
            eval_steps=t.eval_steps,
            save_strategy="steps",
            save_steps=t.eval_steps,
            save_total_limit=t.save_total_limit,
            logging_steps=max(1, min(10, t.eval_steps // 2)),
            load_best_model_at_end=has_validation and t.early_stopping_patience is not None,
            metric_for_best_model="eval_loss",
            greater_is_better=False,
            include_num_input_tokens_seen="non_padding",
            seed=config.seed,
            data_seed=config.seed,
            bf16=use_bf16(t.bf16),
            use_cpu=not torch.cuda.is_available(),
            disable_tqdm=not bars(quiet),
            activation_checkpointing=recompute,
        ),
        **t.trl,
    }
