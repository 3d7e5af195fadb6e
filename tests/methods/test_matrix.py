"""Every registered method × every model family it supports: a tiny model trains a few steps, its
training loss falls, it is saved, reloaded in a fresh process, and gives the same logits (1e-5, fp32).
Unsupported pairs are refused at config time, naming the supported ones. A method added to the
registry is tested here the day it is added."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import yaml
from transformers import TrainerCallback

import afina
from afina.cli import main
from afina.config import load_config
from afina.methods import TESTED_MODEL_TYPES, all_methods, get_method
from afina.objectives import get_objective
from afina.pipeline import Options, stage_prepare, stage_train

from conftest import FAQ, tiny_config
from tiny_families import FAMILY_OF, build_tiny, probe_logits, write_reviews

HERE = Path(__file__).parent
# The matrix: one entry per registered method, the settings its tiny runs use (a new method adds its line).
METHOD_ARGS = {
    "full": {},
    "freeze": {"trainable_layers": 1},
    "lora": {"r": 4, "alpha": 8},
    "dora": {"r": 4, "alpha": 8},
    "qlora": {"r": 4, "alpha": 8},
    "ia3": {},
    "prefix": {"num_virtual_tokens": 4},
    "prompt": {"num_virtual_tokens": 4},
    "ptuning": {"num_virtual_tokens": 4, "encoder_hidden_size": 16},
    "adapter": {"reduction_factor": 4},
}
# Each model type trains by its family's default objective (`train.objective: auto`).
OBJECTIVE_OF = {"decoder": "sft", "encoder": "classification", "encoder-decoder": "seq2seq"}


def _head(model_type: str):
    return get_objective(OBJECTIVE_OF[FAMILY_OF[model_type]]).HEAD


def _supported(method: str, model_type: str) -> bool:
    module = get_method(method)
    return _head(model_type).name in module.HEADS and (module.MODEL_TYPES is None or model_type in module.MODEL_TYPES)


PAIRS = [(m, t) for m in METHOD_ARGS for t in TESTED_MODEL_TYPES if _supported(m, t)]
REFUSED = [(m, t) for m in METHOD_ARGS for t in TESTED_MODEL_TYPES if (m, t) not in PAIRS]


def test_every_registered_method_is_in_the_matrix():
    assert set(METHOD_ARGS) == set(all_methods()), "add the method's line to METHOD_ARGS"


@pytest.mark.parametrize("name", list(all_methods()))
def test_every_method_declares_what_the_registry_knows(name):
    """A method's declarations are read by the trainer builder and the speed switches: they must name
    heads, switches and artifacts that exist, and the module must have every part of the protocol."""
    from afina.models.heads import HEADS
    from afina.speed import METHOD_SWITCHES

    module = get_method(name)
    assert module.HEADS and module.HEADS <= set(HEADS)
    assert module.SPEED <= METHOD_SWITCHES, f"unknown switches {module.SPEED - METHOD_SWITCHES}"
    assert module.ARTIFACT in ("adapter", "model") and isinstance(module.MERGEABLE, bool)
    assert isinstance(module.ACTIVATION_CHECKPOINTING, bool)
    for part in ("load_kwargs", "prepare_model", "load_trained"):
        assert callable(getattr(module, part, None)) or (part == "load_trained" and module.ARTIFACT == "model")


class Probe(TrainerCallback):
    """The loss on a fixed training batch before and after training, and the final probe logits."""

    def __init__(self, tokenizer, head: str, work: Path):
        self.tokenizer, self.head, self.work = tokenizer, head, work

    @torch.no_grad()  # not inference_mode: QLoRA's input-grad hooks modify outputs in place
    def _loss(self, model, batch) -> float:
        was_training = model.training
        model.eval()
        loss = model(**{k: v.to(model.device) if torch.is_tensor(v) else v for k, v in batch.items()}).loss.item()
        model.train(was_training)
        return loss

    def on_train_begin(self, args, state, control, model=None, train_dataloader=None, **kwargs):
        self.batch = next(iter(train_dataloader))
        # a padding-free batch (one row) carries its examples' boundaries in position ids and cu_seq_lens
        self.batch = {
            k: v
            for k, v in self.batch.items()
            if k
            in (
                "input_ids",
                "attention_mask",
                "labels",
                "position_ids",
                "cu_seq_lens_q",
                "cu_seq_lens_k",
                "max_length_q",
                "max_length_k",
            )
        }
        self.before = self._loss(model, self.batch)

    def on_train_end(self, args, state, control, model=None, **kwargs):
        losses = {"before": self.before, "after": self._loss(model, self.batch)}
        (self.work / "losses.json").write_text(json.dumps(losses))
        torch.save(probe_logits(model, self.tokenizer, self.head), self.work / "trained_logits.pt")


def _config(tmp: Path, method: str, model_type: str, base: Path, reviews: Path) -> dict:
    classifies = FAMILY_OF[model_type] == "encoder"
    data = {"path": str(FAQ), "columns": {"prompt": "pregunta", "completion": "respuesta"}}
    if classifies:
        data = {"path": str(reviews), "columns": {}}
    # A new classifier head overshoots at the rates that move a soft prompt.
    lr = 3e-3 if method in ("full", "freeze") or classifies else 3e-2
    return tiny_config(
        tmp,
        name=f"{method}-{model_type}",
        model={"base_model": str(base)},
        method={"name": method, **METHOD_ARGS.get(method, {})},
        data=data,
        train={
            "max_steps": 8,
            "eval_steps": 4,
            "learning_rate": lr,
            "early_stopping_patience": None,
            "batch_size": 8,
            "max_length": 64,
        },
    )


def _selected_pairs(session) -> list[tuple[str, str]]:
    """The pairs whose test this session runs (all of them, or those `-k` keeps): only they are trained."""
    return [
        tuple(item.callspec.params[k] for k in ("method", "model_type"))
        for item in session.items
        if item.originalname == "test_method_trains_saves_and_reloads_identically"
    ]


@pytest.fixture(scope="module")
def trained(request, tiny_base, tmp_path_factory):
    """Train every selected pair once; reload them all in one fresh process; return per-pair results."""
    from transformers import AutoTokenizer

    tmp = tmp_path_factory.mktemp("matrix")
    tokenizer = AutoTokenizer.from_pretrained(tiny_base)
    bases = {t: build_tiny(t, tiny_base, tmp / "bases" / t) for t in TESTED_MODEL_TYPES}
    reviews = write_reviews(tmp / "reviews.csv")
    results, runs = {}, []
    for method, model_type in _selected_pairs(request.session):
        work = tmp / f"{method}-{model_type}"
        work.mkdir()
        config_path = work / "config.yaml"
        config_path.write_text(yaml.safe_dump(_config(work, method, model_type, bases[model_type], reviews)))
        config = load_config(config_path)
        try:
            stage_prepare(config, Options(quiet=True))
            stage_train(config, Options(quiet=True, callbacks=(Probe(tokenizer, _head(model_type).name, work),)))
        except Exception as exc:  # reported by the pair's own test
            results[(method, model_type)] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        results[(method, model_type)] = {"run_dir": config.run_dir, "work": work}
        runs.append({"config": str(config_path), "run_dir": str(config.run_dir)})
    (tmp / "runs.json").write_text(json.dumps(runs))
    proc = subprocess.run(
        [sys.executable, str(HERE / "reload_logits.py"), str(tmp / "runs.json")],
        # the afina this test imported (this checkout's), whatever else the environment would import
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(map(str, (HERE, HERE.parent, Path(afina.__file__).parents[1]))),
        },
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return results


@pytest.mark.slow
@pytest.mark.parametrize("method, model_type", PAIRS, ids=[f"{m}-{t}" for m, t in PAIRS])
def test_method_trains_saves_and_reloads_identically(trained, method, model_type):
    result = trained[(method, model_type)]
    assert "error" not in result, result.get("error")
    run_dir = result["run_dir"]
    losses = json.loads((result["work"] / "losses.json").read_text())
    assert losses["after"] < losses["before"], f"the loss on a training batch did not fall: {losses}"
    trained_logits = torch.load(result["work"] / "trained_logits.pt", weights_only=True)
    reloaded = torch.load(run_dir / "reloaded_logits.pt", weights_only=True)
    torch.testing.assert_close(reloaded, trained_logits, atol=1e-5, rtol=1e-5)
    summary = json.loads((run_dir / "train_summary.json").read_text())
    assert summary["artifact"] == get_method(method).ARTIFACT and summary["tokens_per_second"] > 0


@pytest.mark.parametrize("method, model_type", REFUSED, ids=[f"{m}-{t}" for m, t in REFUSED])
def test_unsupported_pair_is_refused_naming_the_supported_ones(method, model_type, tiny_base, tmp_path, capsys):
    base = build_tiny(model_type, tiny_base, tmp_path / "base")
    reviews = write_reviews(tmp_path / "reviews.csv")
    config_path = tmp_path / "config.yaml"
    config_path.write_text(yaml.safe_dump(_config(tmp_path, method, model_type, base, reviews)))
    assert main(["run", str(config_path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"method '{method}' does not support" in err and "it supports:" in err
    assert not (tmp_path / "runs" / f"{method}-{model_type}").exists()  # refused before any work
