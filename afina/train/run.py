"""Fine-tuning, read top to bottom: load data, build model, build trainer, train, save, record."""

from __future__ import annotations

import json
import re
import resource
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from afina.config import Config
from afina.data import as_conversation, as_pair, load_data_report, load_split
from afina.methods import check_supported, get_method, save_result, trainable_parameters
from afina.models import ensure_base, load_model, load_tokenizer, read_model_config, resolve_base
from afina.models.families import infer_task, label_kwargs
from afina.runfolder import atomic_dir, write_json_atomic
from afina.train import speed, trainers
from afina.train.callbacks import MetricsJsonl, tensorboard, truncate_metrics


def latest_checkpoint(run_dir: Path) -> Path | None:
    """The newest complete `checkpoint-N` folder of a run, or None."""
    folder = Path(run_dir) / "checkpoints"
    found = [p for p in folder.glob("checkpoint-*") if re.fullmatch(r"checkpoint-\d+", p.name)
             and (p / "trainer_state.json").is_file()]
    return max(found, key=lambda p: int(p.name.split("-")[1]), default=None)


def resolve_task(config: Config, data_kind: str | None = None) -> str:
    """The task of this run; refuses a method the model or the task cannot take.

    Without the data's kind (before `prepare`), the task is the model family's default."""
    model_config = read_model_config(resolve_base(config), config)
    task = infer_task(model_config, data_kind, config.train.task)
    check_supported(config.method.name, model_config.model_type, task)
    return task


def _records(run_dir: Path, split: str, config: Config, task: str) -> list[dict]:
    records = load_split(run_dir, split)
    if task == "generation":
        return [as_conversation(r, config.data.system_prompt) for r in records]
    if task == "seq2seq":
        return [dict(zip(("prompt", "completion"), as_pair(r))) for r in records]
    return records


def _peak_memory_mb() -> float:
    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


@dataclass
class Built:
    """What `build_trainer` returns: the trainer, ready to train, and what the run records about it."""
    trainer: object
    tokenizer: object
    method: object
    task: str
    base: str
    labels: list[str] | None
    parameters: dict
    switches: dict
    bf16: bool
    checkpoint: Path | None
    resumed_tokens: int


def build_trainer(config: Config, run_dir: Path, resume: bool = False, quiet: bool = False, callbacks=()) -> Built:
    """Data, model (through the method, with the speed switches on) and trainer of a run, not yet trained."""
    from transformers import EarlyStoppingCallback, PrinterCallback, set_seed

    run_dir = Path(run_dir)
    report = load_data_report(run_dir)  # before the base is built: an unprepared run fails at once
    base = ensure_base(config, quiet=quiet)  # may pretrain, which draws random numbers: seed after it
    task = resolve_task(config, report["kind"])
    set_seed(config.seed)
    method = get_method(config.method.name)

    # 1. data
    train_records = _records(run_dir, "train", config, task)
    eval_records = _records(run_dir, "validation", config, task)
    labels = sorted({r["label"] for r in train_records + eval_records}) if task == "classification" else None
    if labels and config.data.labels:
        labels = list(config.data.labels)

    # 2. model
    tokenizer = load_tokenizer(base, config)
    extra = label_kwargs(labels)
    model = load_model(base, config, task, **extra, **method.load_kwargs(config.method))
    if model.config.pad_token_id is None:
        model.config.pad_token_id = tokenizer.pad_token_id
    model = method.prepare_model(model, config.method, task)
    params = trainable_parameters(model)
    if not quiet:
        print(f"Task {task}, method {config.method.name}: {params['trainable']:,} trainable parameters of "
              f"{params['total']:,} ({params['percent']:.2f}%)")

    # 3. trainer
    checkpoint = latest_checkpoint(run_dir) if resume else None
    resumed_tokens = 0
    if checkpoint is None:
        shutil.rmtree(run_dir / "checkpoints", ignore_errors=True)
        (run_dir / "metrics.jsonl").unlink(missing_ok=True)
    else:
        state = json.loads((checkpoint / "trainer_state.json").read_text())
        resumed_tokens = state["num_input_tokens_seen"]
        truncate_metrics(run_dir / "metrics.jsonl", state["global_step"])
        if not quiet:
            print(f"Resuming from {checkpoint} (step {state['global_step']})")
    args = trainers.training_args(config, run_dir, bool(eval_records), quiet)
    recomputes = bool(args.get("activation_checkpointing") or args.get("gradient_checkpointing"))
    switches = speed.apply(model, config, task, bool(args["bf16"]), recomputes, saves_frozen=method.ARTIFACT == "model")
    hooks = [MetricsJsonl(run_dir / "metrics.jsonl"), tensorboard(run_dir / "tensorboard"), *callbacks]
    if args["load_best_model_at_end"]:
        hooks.append(EarlyStoppingCallback(early_stopping_patience=config.train.early_stopping_patience))
    if task == "generation":
        trainer = trainers.sft_trainer(model, tokenizer, train_records, eval_records, config, args, hooks, switches)
    elif task == "classification":
        trainer = trainers.classification_trainer(model, tokenizer, train_records, eval_records, config, args, hooks,
                                                  extra["label2id"])
    else:
        trainer = trainers.seq2seq_trainer(model, tokenizer, train_records, eval_records, config, args, hooks)
    if quiet:
        trainer.remove_callback(PrinterCallback)
    return Built(trainer, tokenizer, method, task, base, labels, params, switches, bool(args["bf16"]), checkpoint,
                 resumed_tokens)


def run_train(config: Config, run_dir: Path, resume: bool = False, quiet: bool = False, callbacks=()) -> dict:
    """Train per the config; returns the training summary also written to train_summary.json."""
    run_dir = Path(run_dir)
    built = build_trainer(config, run_dir, resume, quiet, callbacks)
    trainer, method, checkpoint = built.trainer, built.method, built.checkpoint

    # 4. train
    started = time.perf_counter()
    result = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    seconds = time.perf_counter() - started
    tokens = trainer.state.num_input_tokens_seen - built.resumed_tokens

    # 5. save, atomically: a crash leaves no adapter/ or model/ that looks finished
    with atomic_dir(run_dir / method.ARTIFACT) as tmp:
        save_result(method, trainer.model, tmp)
        built.tokenizer.save_pretrained(tmp)

    # 6. record
    summary = {
        "task": built.task, "method": config.method.name, "artifact": method.ARTIFACT, "base_model": built.base,
        "labels": built.labels, "global_step": trainer.state.global_step, "train_loss": result.training_loss,
        "best_eval_loss": trainer.state.best_metric, "best_checkpoint": trainer.state.best_model_checkpoint,
        "stopped_early": trainer.state.global_step < trainer.state.max_steps,
        "bf16": built.bf16, **built.switches, "train_seconds": round(seconds, 2), "tokens": tokens, "tokens_per_second": round(tokens / seconds, 1),
        "peak_memory_mb": round(_peak_memory_mb(), 1), "parameters": built.parameters,
        "resumed_from": str(checkpoint) if checkpoint else None,
    }
    write_json_atomic(run_dir / "train_summary.json", summary)
    if not quiet:
        print(f"{tokens:,} tokens in {seconds:.1f} s ({summary['tokens_per_second']:,.0f} tokens/s), "
              f"peak memory {summary['peak_memory_mb']:,.0f} MB")
    return summary
