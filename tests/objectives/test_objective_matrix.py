"""Every registered objective × every model family its head fits: a tiny model goes through the whole
pipeline (prepare → train → evaluate), learns (its test loss falls below the base's), and is scored the way
the objective declares. Records an objective does not take, and a family its head does not fit, are refused
before any work. An objective added to the registry is tested here the day it is added."""

from __future__ import annotations

import json

import pytest
import yaml

from afina.cli import main
from afina.objectives import CHECKS, HIGHER, LOWER, RECORD_KINDS, SCORINGS, all_objectives, get_objective
from afina.speed import OBJECTIVE_SWITCHES

from conftest import FAQ, ROOT, tiny_config
from tiny_families import build_tiny, write_reviews

# The matrix: one entry per registered objective, the data its tiny runs train on (a new objective adds its line).
OBJECTIVE_DATA = {
    "sft": "faq",
    "classification": "reviews",
    "seq2seq": "faq",
    "reward": "preference",
    "dpo": "preference",
    "kto": "preference",
    "orpo": "preference",
    "cpo": "preference",
    "ppo": "preference",
    "rloo": "preference",
    "grpo": "preference",
}
# What shows the tiny run learned, on the test split, tuned against base: the completion loss, or for a
# reward model its pairwise accuracy. The direct preference objectives' own signal is tested in
# test_preference_signals.py (their test loss on the chosen answer need not fall).
LEARNED = {"reward": ("accuracy", HIGHER), "dpo": None, "kto": None, "orpo": ("loss", LOWER), "cpo": ("loss", LOWER)}
# The sampling objectives' own signal (reward up, KL bounded) is tested in test_sampling_signals.py.
LEARNED |= {"ppo": None, "rloo": None, "grpo": None}
PAIRS = ROOT / "examples" / "data" / "preferencias.jsonl"
# One model type per family.
FAMILY_MODEL = {"decoder": "llama", "encoder": "bert", "encoder-decoder": "t5"}
CASES = [(o, f) for o in OBJECTIVE_DATA for f in FAMILY_MODEL if f in get_objective(o).HEAD.families]
MISFITS = [(o, f) for o in OBJECTIVE_DATA for f in FAMILY_MODEL if (o, f) not in CASES]
LIGHT_EVALUATION = {
    "max_new_tokens": 8,
    "report_examples": 2,
    "retain": None,
    "memorization": {"enabled": False},
    "safety": {"enabled": False},
    "bias": {"enabled": False},
}


def _data(kind: str, tmp_path) -> dict:
    if kind == "reviews":
        return {"path": str(write_reviews(tmp_path / "reviews.csv")), "columns": {}}
    if kind == "preference":
        path = tmp_path / "preference.jsonl"
        path.write_text("".join(PAIRS.read_text(encoding="utf-8").splitlines(keepends=True)[:120]), encoding="utf-8")
        return {"path": str(path), "columns": {}}
    return {"path": str(FAQ), "columns": {"prompt": "pregunta", "completion": "respuesta"}}


def _config(tmp_path, objective: str, family: str, tiny_base, data: str) -> str:
    base = build_tiny(FAMILY_MODEL[family], tiny_base, tmp_path / "base")
    lr = 3e-3 if get_objective(objective).SCORING == "labels" else 2e-2
    config = tiny_config(
        tmp_path,
        model={"base_model": str(base)},
        data=_data(data, tmp_path),
        method={"name": "lora", "r": 4, "alpha": 8},
        evaluate=LIGHT_EVALUATION,
        align={"rewards": ["token_f1"], "max_new_tokens": 8},  # what the sampling objectives optimise
        train={
            "objective": objective,
            "max_steps": 16,
            "eval_steps": 8,
            "learning_rate": lr,
            "early_stopping_patience": None,
            "max_length": 192 if data == "preference" else 64,  # the whole conversation: prompt and answer
        },
    )
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    return str(path)


def test_every_registered_objective_is_in_the_matrix():
    assert set(OBJECTIVE_DATA) == set(all_objectives()), "add the objective's line to OBJECTIVE_DATA"


@pytest.mark.parametrize("name", list(all_objectives()))
def test_every_objective_declares_what_the_registry_knows(name):
    """The trainer builder, the speed switches and the evaluate stage read these declarations: they must name
    record kinds, switches, scorings and checks that exist, and the module must have every part."""
    objective = get_objective(name)
    assert objective.RECORDS and objective.RECORDS <= set(RECORD_KINDS)
    assert objective.SPEED <= OBJECTIVE_SWITCHES, f"unknown switches {objective.SPEED - OBJECTIVE_SWITCHES}"
    assert objective.SCORING in SCORINGS and objective.CHECKS <= CHECKS
    assert objective.METRIC in objective.METRICS and set(objective.METRICS.values()) <= {HIGHER, LOWER}
    assert "bias" not in objective.CHECKS or objective.SCORING in ("answers", "labels")  # the probes' two forms
    assert objective.AUTO_FOR <= set(objective.HEAD.families)
    for part in ("labels", "examples", "build_trainer"):
        assert callable(getattr(objective, part, None))


def test_auto_picks_one_objective_per_family():
    for family in FAMILY_MODEL:
        claims = [name for name, objective in all_objectives().items() if family in objective.AUTO_FOR]
        assert len(claims) == 1, f"train.objective: auto for a {family} is ambiguous or missing: {claims}"


@pytest.mark.slow
@pytest.mark.parametrize("objective, family", CASES, ids=[f"{o}-{f}" for o, f in CASES])
def test_objective_trains_and_is_scored_on_each_family_it_fits(objective, family, tiny_base, tmp_path):
    assert main(["run", _config(tmp_path, objective, family, tiny_base, OBJECTIVE_DATA[objective]), "--quiet"]) == 0
    run = tmp_path / "runs" / "tiny"
    summary = json.loads((run / "train_summary.json").read_text())
    declared = get_objective(objective)
    assert summary["objective"] == objective and summary["head"] == declared.HEAD.name
    results = json.loads((run / "eval" / "eval.json").read_text())
    assert results["objective"] == objective
    assert declared.METRIC in results["models"]["tuned"]
    learned = LEARNED.get(objective, ("loss", LOWER))
    if learned:
        metric, better = learned
        tuned, base = results["models"]["tuned"][metric], results["models"]["base"][metric]
        assert tuned > base if better == HIGHER else tuned < base, (metric, tuned, base)


@pytest.mark.parametrize("objective, family", MISFITS, ids=[f"{o}-{f}" for o, f in MISFITS])
def test_a_family_the_objective_head_does_not_fit_is_refused_before_any_work(
    objective, family, tiny_base, tmp_path, capsys
):
    path = _config(tmp_path, objective, family, tiny_base, OBJECTIVE_DATA[objective])
    assert main(["run", path, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"objective '{objective}' needs a" in err and "train.objective" in err
    assert not (tmp_path / "runs" / "tiny").exists()


def test_preference_records_are_refused_by_an_objective_that_does_not_take_them(tiny_base, tmp_path, capsys):
    """prompt/chosen/rejected data is not quietly trained as SFT on `chosen`: the objectives that take it are named."""
    path = _config(tmp_path, "sft", "decoder", tiny_base, "preference")
    assert main(["run", path, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "objective 'sft' does not train on preference records" in err and "dpo" in err and "reward" in err
    assert not (tmp_path / "runs" / "tiny" / "train_summary.json").exists()
