"""`afina search`: hyperparameter search over any config keys with Optuna.

TPE samples the keys of `search.space`; each trial is a run of its own (`<name>-t007`, prepared, trained
and, for a task metric, evaluated, all in the registry), fed to the pruner as it trains: its validation
loss at every evaluation, so a trial the pruner gives up on stops there. A trial that fails is recorded as
failed with its error and the search goes on. The study lives in an Optuna storage (SQLite beside the
registry, or any SQL URL), so workers on other machines join it (`--worker`) and share its trial budget.
The best trial's config is written as a YAML that `afina run` takes as it is.

The pipeline runs the trials (`run_search`'s `run_trial`): this module knows Optuna, not the stages.
"""

from __future__ import annotations

import copy
import math
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from transformers import TrainerCallback

from afina.config import Config, dump_config, set_key
from afina.errors import AfinaError, ConfigError
from afina.objectives import LOWER, get_objective
from afina.runfolder import write_json_atomic, write_text_atomic

__all__ = ["Pruned", "SearchResult", "run_search", "storage_url"]


class Pruned(Exception):
    """Raised by a trial the pruner stopped (its run is kept, marked pruned)."""


def storage_url(config: Config) -> str:
    """search.storage, else search.db beside a SQLite registry (the registry's own database otherwise)."""
    if config.search.storage:
        return config.search.storage
    url = config.registry.url
    if url is None:
        from afina.runfolder import afina_home

        return f"sqlite:///{afina_home() / 'search.db'}"
    if url.startswith("sqlite:///"):
        return f"sqlite:///{Path(url.removeprefix('sqlite:///')).parent / 'search.db'}"
    return url


def _direction(config: Config, objective: str) -> str:
    if config.search.objective == "eval_loss":
        return "minimize"
    metrics = get_objective(objective).METRICS
    if config.search.objective not in metrics:
        raise ConfigError(
            f"'{config.search.objective}' is not a metric of the {objective} objective: eval_loss or one of "
            + ", ".join(metrics),
            key="search.objective",
        )
    return "minimize" if metrics[config.search.objective] == LOWER else "maximize"


def _current(raw: dict, key: str):
    """The value of a dotted key in a raw config dict, or None."""
    node = raw
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _with(raw: dict, params: dict, name: str) -> dict:
    """A plain run's raw config (no search section): `raw` with `params` set, named `name`."""
    out = copy.deepcopy(raw)
    out.pop("search", None)
    for key, value in params.items():
        set_key(out, key, value)
    return out | {"name": name}


class PruningCallback(TrainerCallback):
    """Reports each validation loss to the trial and stops training when the pruner says so."""

    def __init__(self, trial, sign: float):
        self.trial, self.sign, self.pruned = trial, sign, False

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        loss = (metrics or {}).get("eval_loss")
        if loss is None or not math.isfinite(loss):
            return
        # the pruner compares values in the study's direction: a maximised metric is fed the negated loss
        self.trial.report(self.sign * loss, step=state.global_step)
        if self.trial.should_prune():
            self.pruned, control.should_training_stop = True, True


@dataclass
class SearchResult:
    study: str
    storage: str
    direction: str
    trials: list[dict]  # every trial of the study: number, state, value, params, run, error
    best: dict | None
    best_config: Path | None
    importances: dict[str, float]


def _pruner(config: Config):
    import optuna

    s = config.search
    if s.pruner == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=s.startup_trials, n_warmup_steps=0)
    if s.pruner == "hyperband":
        return optuna.pruners.HyperbandPruner()
    return optuna.pruners.NopPruner()


def _suggest(trial, key: str, param):
    if param.choices is not None:
        return trial.suggest_categorical(key, param.choices)
    if param.integer:
        step = int(param.step) if param.step else 1
        return trial.suggest_int(key, int(param.low), int(param.high), step=step)
    return trial.suggest_float(key, param.low, param.high, log=param.log, step=param.step)


def run_search(
    config: Config,
    raw: dict,
    objective: str,
    run_trial: Callable[[Config, list], float],
    mark: Callable[[Config, str, str], None],
    worker: bool = False,
    quiet: bool = False,
) -> SearchResult:
    """Run (or, as a worker, join) the study of `config.search`. `raw` is the config as the user wrote it
    (with --set applied), from which each trial's config is made; `objective` the training objective's
    name (the metric's direction); `run_trial(trial_config, callbacks)` runs one trial and returns its score,
    raising Pruned when a callback stopped it; `mark(trial_config, status, error)` records a pruned or
    failed trial in the registry."""
    import optuna

    s = config.search
    if not s.space:
        raise ConfigError("afina search needs the keys to search: search.space", key="search.space")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    direction = _direction(config, objective)
    sign = 1.0 if direction == "minimize" else -1.0
    name = s.study or config.name
    storage = storage_url(config)
    study = optuna.create_study(
        study_name=name,
        storage=storage,
        direction=direction,
        sampler=optuna.samplers.TPESampler(seed=None if worker else config.seed, n_startup_trials=s.startup_trials),
        pruner=_pruner(config),
        load_if_exists=True,
    )
    if not worker and s.baseline and not study.trials:
        values = {key: _current(raw, key) for key in s.space}
        if all(v is not None for v in values.values()):
            study.enqueue_trial(values, user_attrs={"baseline": True})

    def run_one(trial) -> float:
        if trial.number >= s.trials:  # another worker took the last place of the budget first
            trial.set_user_attr("over_budget", True)
            study.stop()
            raise optuna.TrialPruned("the study's trial budget is spent")
        params = {key: _suggest(trial, key, param) for key, param in s.space.items()}
        trial_raw = _with(raw, params, f"{config.name}-t{trial.number:03d}")
        trial.set_user_attr("run", trial_raw["name"])
        trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
        try:
            trial_config = Config.model_validate(trial_raw)
        except Exception as exc:  # a sampled value the schema refuses: this trial fails, the search goes on
            trial.set_user_attr("error", " ".join(str(exc).split())[:500])
            raise
        callback = PruningCallback(trial, sign)
        try:
            value = run_trial(trial_config, [callback])
        except Pruned:
            mark(trial_config, "pruned", None)
            raise optuna.TrialPruned() from None
        except Exception as exc:  # a crashed trial is recorded as failed, with its error; the search goes on
            trial.set_user_attr("error", f"{type(exc).__name__}: {exc}"[:500])
            mark(trial_config, "failed", str(exc))
            raise
        if value is None or not math.isfinite(value):
            raise AfinaError(f"trial {trial.number} scored {value}")
        return value

    states = optuna.trial.TrialState
    # every worker's trials, running ones too, count against the budget; ones waiting in the queue do not
    budget = optuna.study.MaxTrialsCallback(
        s.trials, states=(states.COMPLETE, states.PRUNED, states.FAIL, states.RUNNING)
    )
    study.optimize(
        run_one,
        timeout=s.timeout_minutes * 60 if s.timeout_minutes else None,
        callbacks=[budget],
        catch=(Exception,),
        show_progress_bar=not quiet,
    )
    return _result(study, storage, direction, config, raw)


def _result(study, storage: str, direction: str, config: Config, raw: dict) -> SearchResult:
    import optuna

    trials = [
        {
            "number": t.number,
            "state": t.state.name.lower(),
            "value": t.value,
            "params": t.params,
            "run": t.user_attrs.get("run"),
            "baseline": t.user_attrs.get("baseline", False),
            "error": t.user_attrs.get("error"),
            "worker": t.user_attrs.get("worker"),
            "seconds": (t.datetime_complete - t.datetime_start).total_seconds()
            if t.datetime_complete and t.datetime_start
            else None,
        }
        for t in study.trials
        if not t.user_attrs.get("over_budget")
    ]
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    best, best_config, importances = None, None, {}
    if complete:
        winner = study.best_trial
        best = next(t for t in trials if t["number"] == winner.number)
        best_raw = _with(raw, winner.params, f"{config.name}-best")
        folder = config.run.root / "search"
        folder.mkdir(parents=True, exist_ok=True)
        best_config = folder / "best.yaml"
        write_text_atomic(best_config, dump_config(Config.model_validate(best_raw)))
        if len(complete) >= 2 and len(config.search.space) >= 1:
            try:
                importances = dict(optuna.importance.get_param_importances(study))
            except (RuntimeError, ValueError):  # every complete trial alike: no variance to attribute
                importances = {}
    result = SearchResult(study.study_name, storage, direction, trials, best, best_config, importances)
    folder = config.run.root / "search"
    folder.mkdir(parents=True, exist_ok=True)
    write_json_atomic(
        folder / "search.json",
        {k: (str(v) if isinstance(v, Path) else v) for k, v in result.__dict__.items()},
    )
    return result
