"""Non-regression on another run's test split: what the tuned model and the model it is compared with (its
base, or `evaluate.reference`: the production model a retrain would replace) score on the questions an
earlier run was tested on. Rows whose prompt this run's own data asks again are superseded (the facts
changed: a new price, new hours) and left out, counted; the rest are the facts that did not change.
"""

from __future__ import annotations

from afina.config import Config
from afina.evaluate.tasks import Scored, compare, summarize
from afina.objectives import LOWER, get_objective
from afina.records import prompt_key
from afina.runfolder import RunFolder


def previous_test(run_dir: str, own: list[dict]) -> tuple[list[dict], int]:
    """(the rows of `run_dir`'s test split that no record of `own` (this run's splits) asks again, how many
    were superseded)."""
    asked = {prompt_key(r) for r in own if "canary" not in r and "replay" not in r}
    rows = RunFolder(run_dir).read_split("test")
    kept = [r for r in rows if prompt_key(r) not in asked]
    return kept, len(rows) - len(kept)


def task_change(run: str, metric: str, objective: str, base: Scored, tuned: Scored, config: Config) -> dict:
    """Both models' metrics on `run`'s test rows, tuned minus base, and the drop on `metric` (positive: the
    tuned model is worse, whichever way the metric is better)."""
    change = compare(base, tuned, config)
    sign = -1 if get_objective(objective).METRICS.get(metric) == LOWER else 1
    return {
        "run": run,
        "metric": metric,
        "tuned": summarize(tuned, config),
        "base": summarize(base, config),
        "change": change,
        "drop": -sign * change[metric]["difference"],
    }
