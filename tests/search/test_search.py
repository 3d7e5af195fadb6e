"""`afina search`: trials as runs in the registry, the config's own values as trial 0, a crashed trial
recorded while the search goes on, pruning from the validation loss, the best config a YAML `afina run`
takes; and two workers on one study that split its trials."""

from __future__ import annotations

import json
import subprocess
import sys

import optuna
import pytest

from afina.cli import main
from afina.config import load_config
from afina.registry import Registry
from afina.search import storage_url

from conftest import write_config


def _search(tmp_path, registry_url=None, **search):
    registry = {"url": registry_url or f"sqlite:///{tmp_path / 'r.db'}"}
    space = {"train.learning_rate": {"low": 1e-4, "high": 2e-2, "log": True}, "method.r": {"choices": [2, 4]}}
    search = {"space": space, "trials": 4, "startup_trials": 2, **search}
    return write_config(tmp_path, name="s", registry=registry, search=search,
                        train={"max_steps": 6, "eval_steps": 2})  # fmt: skip


@pytest.mark.slow
def test_trials_are_runs_a_crash_is_recorded_and_the_best_config_runs(tiny_base, tmp_path, capsys):
    # method.r 0 is refused by the schema: that trial fails, the others go on
    path = _search(tmp_path, space={"train.learning_rate": {"low": 1e-4, "high": 2e-2, "log": True},
                                    "method.r": {"choices": [4, 0]}}, pruner="none")  # fmt: skip
    assert main(["search", str(path), "--quiet"]) == 0
    out = capsys.readouterr().out
    found = json.loads((tmp_path / "runs" / "s" / "search" / "search.json").read_text())
    trials = found["trials"]
    assert len(trials) == 4 and trials[0]["baseline"] and trials[0]["params"]["train.learning_rate"] == 5e-3, out
    failed = [t for t in trials if t["state"] == "fail"]
    complete = [t for t in trials if t["state"] == "complete"]
    assert failed and all(
        t["params"]["method.r"] == 0 and "greater than or equal to 1" in t["error"] for t in failed
    ), trials
    assert all(t["params"]["method.r"] == 4 for t in complete) and complete
    runs = {r.name: r for r in Registry(f"sqlite:///{tmp_path / 'r.db'}").runs()}
    assert {t["run"] for t in complete} <= set(runs)  # every completed trial a registered run
    best = load_config(found["best_config"])
    assert best.name == "s-best" and best.train.learning_rate == found["best"]["params"]["train.learning_rate"]
    assert found["best"]["value"] == min(t["value"] for t in complete)
    summary = json.loads((tmp_path / "runs" / found["best"]["run"] / "train_summary.json").read_text())
    assert summary["best_eval_loss"] == found["best"]["value"]
    assert best.search.space == {}  # a plain run's config: nothing left to search


class _Trial:
    """What PruningCallback needs of an Optuna trial, with a fixed verdict."""

    def __init__(self, prune):
        self.reported, self.prune = [], prune

    def report(self, value, step):
        self.reported.append((step, value))

    def should_prune(self):
        return self.prune


def test_the_pruning_callback_reports_in_the_study_direction_and_stops_training():
    from transformers import TrainerControl, TrainerState

    from afina.search import PruningCallback

    state, control = TrainerState(global_step=6), TrainerControl()
    keep = PruningCallback(_Trial(prune=False), sign=-1.0)  # a maximised metric: the loss is fed negated
    keep.on_evaluate(None, state, control, metrics={"eval_loss": 2.5})
    assert keep.trial.reported == [(6, -2.5)] and not control.should_training_stop and not keep.pruned
    stop = PruningCallback(_Trial(prune=True), sign=1.0)
    stop.on_evaluate(None, state, control, metrics={"eval_loss": float("nan")})  # nothing to report
    assert stop.trial.reported == [] and not control.should_training_stop
    stop.on_evaluate(None, state, control, metrics={"eval_loss": 3.0})
    assert control.should_training_stop and stop.pruned


@pytest.mark.slow
def test_a_trial_the_pruner_stops_is_marked_pruned(tiny_base, tmp_path):
    # trial 0 (the config's lr) trains well; a learning rate of 1e-9 learns nothing and is stopped at its
    # first evaluation, its run kept and marked
    path = _search(tmp_path, space={"train.learning_rate": {"choices": [5e-3, 1e-9]}}, trials=3,
                   startup_trials=1)  # fmt: skip
    study = optuna.create_study(study_name="s", storage=f"sqlite:///{tmp_path / 'search.db'}", direction="minimize")
    study.enqueue_trial({"train.learning_rate": 5e-3})
    study.enqueue_trial({"train.learning_rate": 1e-9})
    study.enqueue_trial({"train.learning_rate": 1e-9})
    assert main(["search", str(path), "--quiet", "--set", "search.baseline=false"]) == 0
    trials = json.loads((tmp_path / "runs" / "s" / "search" / "search.json").read_text())["trials"]
    assert [t["state"] for t in trials] == ["complete", "pruned", "pruned"], trials
    runs = {r.name: r for r in Registry(f"sqlite:///{tmp_path / 'r.db'}").runs()}
    assert runs["s-t001"].status == "pruned"
    steps = [
        json.loads(line)["step"] for line in (tmp_path / "runs" / "s-t001" / "metrics.jsonl").read_text().splitlines()
    ]
    assert max(steps) < 6  # stopped before its last step


@pytest.mark.slow
def test_two_workers_split_the_trials_and_never_run_one_twice(tiny_base, tmp_path, database_url):
    # on PostgreSQL the study lives in the registry's own database, as it would for a team
    path = _search(tmp_path, database_url, trials=4, pruner="none")
    assert main(["search", str(path), "--quiet", "--set", "search.trials=1"]) == 0  # creates the study
    workers = [
        subprocess.Popen([sys.executable, "-m", "afina", "search", str(path), "--quiet", "--worker"]) for _ in range(2)
    ]
    assert [w.wait(timeout=600) for w in workers] == [0, 0]
    study = optuna.load_study(study_name="s", storage=storage_url(load_config(path)))
    counted = [t for t in study.trials if not t.user_attrs.get("over_budget")]
    assert len(counted) == 4 and len({t.number for t in counted}) == 4
    assert len({t.user_attrs["run"] for t in counted}) == 4  # each trial one run, by one worker
    assert len({t.user_attrs["worker"] for t in counted[1:]}) == 2  # both workers took trials
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in counted)
    runs = {r.name for r in Registry(database_url).runs()}
    assert {t.user_attrs["run"] for t in counted} <= runs
