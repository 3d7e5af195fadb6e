"""Supervised fine-tuning, read top to bottom: load data, build model, build trainer, train, save."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import torch

from afina.config import Config
from afina.data import as_conversation, load_split
from afina.methods import get_method, trainable_parameters
from afina.models import ensure_base, load_causal_lm, load_tokenizer
from afina.runfolder import atomic_dir, write_json_atomic
from afina.train.callbacks import MetricsJsonl, truncate_metrics


def latest_checkpoint(run_dir: Path) -> Path | None:
    """The newest complete `checkpoint-N` folder of a run, or None."""
    folder = Path(run_dir) / "checkpoints"
    found = [p for p in folder.glob("checkpoint-*") if re.fullmatch(r"checkpoint-\d+", p.name)
             and (p / "trainer_state.json").is_file()]
    return max(found, key=lambda p: int(p.name.split("-")[1]), default=None)


def _dataset(run_dir: Path, split: str, config: Config):
    from datasets import Dataset

    records = [as_conversation(r, config.data.system_prompt) for r in load_split(run_dir, split)]
    return Dataset.from_list(records) if records else None


def _sft_config(config: Config, run_dir: Path, has_validation: bool, quiet: bool):
    from trl import SFTConfig

    t = config.train
    evaluate = "steps" if has_validation else "no"
    args = dict(
        output_dir=str(run_dir / "checkpoints"), report_to=[],  # TensorBoard is added as a callback, see run_train
        num_train_epochs=t.epochs, max_steps=t.max_steps, per_device_train_batch_size=t.batch_size,
        per_device_eval_batch_size=t.batch_size, gradient_accumulation_steps=t.gradient_accumulation_steps,
        learning_rate=t.learning_rate, lr_scheduler_type=t.lr_scheduler, warmup_steps=t.warmup_ratio,  # a float < 1 is a ratio
        weight_decay=t.weight_decay, max_length=t.max_length, completion_only_loss=True,
        eval_strategy=evaluate, eval_steps=t.eval_steps, save_strategy="steps", save_steps=t.eval_steps,
        save_total_limit=t.save_total_limit, logging_steps=max(1, min(10, t.eval_steps // 2)),
        load_best_model_at_end=has_validation and t.early_stopping_patience is not None,
        metric_for_best_model="eval_loss", greater_is_better=False,
        seed=config.seed, data_seed=config.seed, bf16=t.bf16, use_cpu=not torch.cuda.is_available(),
        disable_tqdm=quiet, dataset_num_proc=None,
    )
    return SFTConfig(**{**args, **t.trl})


def _tensorboard(log_dir: Path):
    """TensorBoard events under the run folder (transformers 5 dropped `logging_dir`)."""
    from torch.utils.tensorboard import SummaryWriter
    from transformers.integrations import TensorBoardCallback

    return TensorBoardCallback(tb_writer=SummaryWriter(log_dir=str(log_dir)))


def run_train(config: Config, run_dir: Path, resume: bool = False, quiet: bool = False, callbacks=()) -> dict:
    """Train per the config; returns the training summary also written to train_summary.json."""
    from transformers import EarlyStoppingCallback, PrinterCallback, set_seed
    from trl import SFTTrainer

    run_dir = Path(run_dir)
    base = ensure_base(config, quiet=quiet)  # may pretrain, which draws random numbers: seed after it
    set_seed(config.seed)
    method = get_method(config.method.name)

    # 1. data
    train_set = _dataset(run_dir, "train", config)
    eval_set = _dataset(run_dir, "validation", config)

    # 2. model
    tokenizer = load_tokenizer(base, config)
    model = method.prepare_model(load_causal_lm(base, config), config.method)
    params = trainable_parameters(model)
    if not quiet:
        print(f"Trainable parameters: {params['trainable']:,} of {params['total']:,} ({params['percent']:.2f}%)")

    # 3. trainer
    checkpoint = latest_checkpoint(run_dir) if resume else None
    if checkpoint is None:
        shutil.rmtree(run_dir / "checkpoints", ignore_errors=True)
        (run_dir / "metrics.jsonl").unlink(missing_ok=True)
    else:
        state = json.loads((checkpoint / "trainer_state.json").read_text())
        truncate_metrics(run_dir / "metrics.jsonl", state["global_step"])
        if not quiet:
            print(f"Resuming from {checkpoint} (step {state['global_step']})")
    args = _sft_config(config, run_dir, eval_set is not None, quiet)
    extra = [MetricsJsonl(run_dir / "metrics.jsonl"), _tensorboard(run_dir / "tensorboard"), *callbacks]
    if args.load_best_model_at_end:
        extra.append(EarlyStoppingCallback(early_stopping_patience=config.train.early_stopping_patience))
    trainer = SFTTrainer(model=model, args=args, train_dataset=train_set, eval_dataset=eval_set,
                         processing_class=tokenizer, callbacks=extra)
    if quiet:
        trainer.remove_callback(PrinterCallback)

    # 4. train
    started = time.perf_counter()
    result = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    seconds = time.perf_counter() - started

    # 5. save, atomically: a crash leaves no adapter/ or model/ that looks finished
    with atomic_dir(run_dir / method.ARTIFACT) as tmp:
        trainer.model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)

    summary = {
        "method": config.method.name, "artifact": method.ARTIFACT, "base_model": base,
        "global_step": trainer.state.global_step, "train_loss": result.training_loss,
        "best_eval_loss": trainer.state.best_metric, "best_checkpoint": trainer.state.best_model_checkpoint,
        "stopped_early": trainer.state.global_step < trainer.state.max_steps,
        "train_seconds": round(seconds, 2), "parameters": params, "resumed_from": str(checkpoint) if checkpoint else None,
    }
    write_json_atomic(run_dir / "train_summary.json", summary)
    return summary
