"""Non-regression on another run's test split: what the tuned model and the model it is compared with (its
base, or `evaluate.reference`: the production model a retrain would replace) score on the questions an
earlier run was tested on. Rows whose prompt this run's own data asks again with another answer are
superseded (the facts changed: a new price, new hours) and left out, counted; the rest are the facts that
did not change, asked again or not.
"""

from __future__ import annotations

from afina.config import Config
from afina.errors import ConfigError
from afina.evaluate.tasks import Scored, compare, summarize
from afina.objectives import LOWER, get_objective
from afina.records import as_conversation, prompt_key
from afina.runfolder import RunFolder


def _answer(record: dict) -> str | None:
    """The reference answer, case and spacing folded (None for plain text, which has none)."""
    conversation = as_conversation(record)
    return " ".join(conversation["completion"][-1]["content"].lower().split()) if "completion" in conversation else None


def previous_test(run_dir: str, own: list[dict]) -> tuple[list[dict], int]:
    """(the rows of `run_dir`'s test split that no record of `own` (this run's splits) answers otherwise, how
    many were superseded)."""
    answers: dict[str, set] = {}
    for r in own:
        if "canary" not in r and "replay" not in r:
            answers.setdefault(prompt_key(r), set()).add(_answer(r))
    folder = RunFolder(run_dir)
    if not folder.split("test").is_file():
        raise ConfigError(
            f"{run_dir} is not a prepared run folder (it has no test split)", key="evaluate.regression_run"
        )
    rows = folder.read_split("test")
    kept = [r for r in rows if _answer(r) in answers.get(prompt_key(r), {_answer(r)})]
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
