"""Fine-tuning, read top to bottom: load data, build model, build trainer, train, save, record."""

from __future__ import annotations

import json
import re
import resource
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import torch

from afina import speed
from afina.config import Config
from afina.distributed import is_main
from afina.errors import ConfigError, TrainingStopped
from afina.methods import Method, check_supported, get_method, save_result, trainable_parameters
from afina.methods.peft_common import start_from
from afina.models import is_builtin, load_model, load_tokenizer, read_model_config, resolve_base
from afina.models.heads import label_kwargs
from afina.objectives import Objective, get_objective, select
from afina.runfolder import RunFolder, TrainSummary, atomic_dir, write_json_atomic
from afina.terminal import show_progress
from afina.train.args import training_args
from afina.train.callbacks import MetricsJsonl, StopOnSigterm, tensorboard, truncate_metrics
from afina.train.guard import NonFiniteGuard
from afina.train.l2_sp import PullToStart


def _complete(checkpoint: Path) -> bool:
    """Whether a checkpoint was written to its end. The trainer writes `trainer_state.json` last, after the
    weights, optimizer and scheduler: a kill during the write leaves it missing or torn, or a file before it
    cut short (a safetensors header that does not parse, a torch zip without its directory)."""
    try:
        state = json.loads((checkpoint / "trainer_state.json").read_text())
        if state["global_step"] != int(checkpoint.name.split("-")[1]):
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    weights = [p for p in checkpoint.glob("*.safetensors")]
    if not weights:
        return False
    for path in weights:
        with open(path, "rb") as f:
            header = int.from_bytes(f.read(8), "little")
            try:
                tensors = json.loads(f.read(header))
            except ValueError:
                return False
        ends = [t["data_offsets"][1] for name, t in tensors.items() if name != "__metadata__"]
        if path.stat().st_size < 8 + header + max(ends, default=0):  # cut short in its data
            return False
    saved_by_torch = [p for p in checkpoint.iterdir() if p.suffix in (".pt", ".pth", ".bin")]
    return all(zipfile.is_zipfile(p) for p in saved_by_torch)


def latest_checkpoint(run: RunFolder) -> Path | None:
    """The newest complete `checkpoint-N` folder of a run (a torn newer one is passed over), or None."""
    found = [p for p in run.checkpoints.glob("checkpoint-*") if re.fullmatch(r"checkpoint-\d+", p.name)]
    for checkpoint in sorted(found, key=lambda p: int(p.name.split("-")[1]), reverse=True):
        if _complete(checkpoint):
            return checkpoint
    return None


def resolve_objective(config: Config, data_kind: str | None = None) -> str:
    """The objective of this run, by name; refuses one the model or the data cannot take, and a method
    the objective's head or the model cannot take. Without the data's kind (before `prepare`), only
    what the model decides is checked."""
    model_config = read_model_config(resolve_base(config.model, config.pretrain), config.model)
    name = select(config.train.objective, model_config, data_kind)
    objective = get_objective(name)
    check_supported(config.method.name, model_config.model_type, objective.HEAD)
    if config.gate.metric is not None and config.gate.metric not in objective.METRICS:
        raise ConfigError(
            f"the {name} objective does not report {config.gate.metric}; its metrics: {', '.join(objective.METRICS)}",
            key="gate.metric",
        )
    return name


def _peak_memory_mb() -> float:
    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


@dataclass
class Built:
    """What `build_trainer` returns: the trainer, ready to train, and what the run records about it."""

    trainer: object
    tokenizer: object
    method: Method
    objective: Objective
    objective_name: str
    base: str
    labels: list[str] | None
    parameters: dict
    switched: speed.Switched
    bf16: bool
    checkpoint: Path | None
    resumed_tokens: int
    guard: NonFiniteGuard
    sigterm: StopOnSigterm


def _base(config: Config) -> str:
    base = resolve_base(config.model, config.pretrain)
    if is_builtin(config.model) and not Path(base, "config.json").is_file():
        raise ConfigError(
            f"the base model {config.model.base_model} is not built yet: run `afina pretrain` with this "
            "config (`afina run` and `afina train` do it for you)",
            key="model.base_model",
        )
    return base


def build_trainer(config: Config, run: RunFolder, resume: bool = False, quiet: bool = False, callbacks=()) -> Built:
    """Data, model (through the method, with the speed switches on) and trainer of a run, not yet trained."""
    from transformers import EarlyStoppingCallback, set_seed

    report = run.read_data_report()  # before the base is loaded: an unprepared run fails at once
    replayed = report.get("replay") or {"share": 0.0, "source": None}
    prepared = (replayed["share"], replayed["source"] if replayed["share"] else None)
    asked = (config.train.replay, config.train.replay_from if config.train.replay else None)
    if prepared != asked:  # with no replay, where it would have come from does not matter
        raise ConfigError(
            f"the prepared data replays {prepared[0]} from {prepared[1]}, the config asks for {asked[0]} from "
            f"{asked[1]}: run `afina prepare` again",
            key="train.replay",
        )
    base = _base(config)
    name = resolve_objective(config, report["kind"])
    objective = get_objective(name)
    set_seed(config.seed)
    method = get_method(config.method.name)

    # 1. data
    train_records = objective.examples(run.read_split("train"), config)
    eval_records = objective.examples(run.read_split("validation"), config)
    labels = objective.labels(train_records, eval_records, config)

    # 2. model
    tokenizer = load_tokenizer(base, config.model)
    model = load_model(base, config.model, objective.HEAD, **label_kwargs(labels), **method.load_kwargs(config.method))
    if model.config.pad_token_id is None:
        model.config.pad_token_id = tokenizer.pad_token_id
    model = method.prepare_model(model, config.method, objective.HEAD)
    if config.train.init_from:
        start_from(model, config.train.init_from)
    params = trainable_parameters(model)
    if not quiet:
        print(
            f"Objective {name}, method {config.method.name}: {params['trainable']:,} trainable parameters of "
            f"{params['total']:,} ({params['percent']:.2f}%)"
        )

    # 3. trainer
    checkpoint = latest_checkpoint(run) if resume else None
    if resume and checkpoint is None and any(run.checkpoints.glob("checkpoint-*")):
        raise ConfigError(
            f"--resume found checkpoints in {run.checkpoints} but none this release can tell is complete (a "
            "safetensors file, a torch file, and trainer_state.json written last): not deleting them. Move them "
            "away to start over, or resume with the tool that wrote them"
        )
    resumed_tokens = 0
    if checkpoint is None:
        if is_main():  # under torchrun, rank 0 alone writes the run folder
            shutil.rmtree(run.checkpoints, ignore_errors=True)
            run.metrics.unlink(missing_ok=True)
    else:
        state = json.loads((checkpoint / "trainer_state.json").read_text())
        resumed_tokens = state["num_input_tokens_seen"]
        if is_main():
            truncate_metrics(run.metrics, state["global_step"])
        if not quiet:
            print(f"Resuming from {checkpoint} (step {state['global_step']})")
    args = training_args(config, run.checkpoints, bool(eval_records), quiet)
    recomputes = bool(args.get("activation_checkpointing") or args.get("gradient_checkpointing"))
    switched = speed.apply(
        model, config.speed, speed.allowed(method.SPEED, objective.SPEED), bool(args["bf16"]), recomputes
    )
    guard, sigterm = NonFiniteGuard(config.train.max_nonfinite_steps), StopOnSigterm()
    hooks = [MetricsJsonl(run.metrics), tensorboard(run.tensorboard), guard, sigterm, *callbacks]
    if config.train.l2_sp:  # first: the distance it logs reaches metrics.jsonl
        hooks.insert(0, PullToStart(model, config.train.l2_sp, guard.skipped))
    if args["load_best_model_at_end"]:
        hooks.append(EarlyStoppingCallback(early_stopping_patience=config.train.early_stopping_patience))
    trainer = objective.build_trainer(model, tokenizer, train_records, eval_records, config, args, hooks, switched)
    show_progress(trainer, quiet)
    return Built(
        trainer,
        tokenizer,
        method,
        objective,
        name,
        base,
        labels,
        params,
        switched,
        bool(args["bf16"]),
        checkpoint,
        resumed_tokens,
        guard,
        sigterm,
    )


def run_train(config: Config, run: RunFolder, resume: bool = False, quiet: bool = False, callbacks=()) -> TrainSummary:
    """Train per the config; returns the training summary also written to train_summary.json."""
    built = build_trainer(config, run, resume, quiet, callbacks)
    trainer, method, checkpoint = built.trainer, built.method, built.checkpoint

    # 4. train
    started = time.perf_counter()
    try:
        result = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    finally:
        built.sigterm.restore()
    seconds = time.perf_counter() - started
    if built.sigterm.requested and trainer.state.global_step < trainer.state.max_steps:
        raise TrainingStopped(
            f"stopped by SIGTERM at step {trainer.state.global_step}, after saving checkpoint-"
            f"{trainer.state.global_step}: continue with `afina train CONFIG --resume`"
        )
    tokens = trainer.state.num_input_tokens_seen - built.resumed_tokens

    # 5. save, atomically: a crash leaves no adapter/ or model/ that looks finished
    if is_main():
        with atomic_dir(run.artifact(method.ARTIFACT)) as tmp:
            save_result(method, trainer.model, tmp)
            built.tokenizer.save_pretrained(tmp)

    # 6. record
    summary = TrainSummary(
        objective=built.objective_name,
        head=built.objective.HEAD.name,
        method=config.method.name,
        method_settings=config.method.model_dump(mode="json"),
        artifact=method.ARTIFACT,
        base_model=built.base,
        labels=built.labels,
        global_step=trainer.state.global_step,
        train_loss=result.training_loss,
        best_eval_loss=trainer.state.best_metric,
        best_checkpoint=trainer.state.best_model_checkpoint,
        stopped_early=trainer.state.global_step < trainer.state.max_steps,
        bf16=built.bf16,
        speed=built.switched.to_dict(),
        train_seconds=round(seconds, 2),
        tokens=tokens,
        tokens_per_second=round(tokens / seconds, 1),
        peak_memory_mb=round(_peak_memory_mb(), 1),
        parameters=built.parameters,
        resumed_from=str(checkpoint) if checkpoint else None,
        skipped_steps=built.guard.skipped,
        l2_sp=config.train.l2_sp,
        best_metric=trainer.args.metric_for_best_model or "eval_loss",
    )
    if not is_main():
        return summary
    write_json_atomic(run.train_summary, summary.to_dict())
    # one current result: what an earlier run of another method left (an adapter/ beside a new model/) goes
    for stale in {"adapter", "model"} - {method.ARTIFACT}:
        shutil.rmtree(run.artifact(stale), ignore_errors=True)
    if not quiet:
        print(
            f"{tokens:,} tokens in {seconds:.1f} s ({summary.tokens_per_second:,.0f} tokens/s), "
            f"peak memory {summary.peak_memory_mb:,.0f} MB"
        )
    return summary
