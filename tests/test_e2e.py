"""`afina run` end to end on a tiny model: the adapter loads in plain peft, the merged model in plain
transformers, and both give afina's greedy answers (checked by examples/verify_demo.py, which
`make demo` runs on the demo's adapter); the report and the registry hold the run."""

import importlib.util
import json

import pytest

from afina.cli import main
from afina.config import load_config
from afina.methods import load_result
from afina.models.generate import generate

from conftest import ROOT, write_config

pytestmark = pytest.mark.slow


def _verify_module():
    spec = importlib.util.spec_from_file_location("verify_demo", ROOT / "examples" / "verify_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_run_then_plain_peft_and_merged_transformers_match_afina(tiny_base, tmp_path, capsys):
    config_path = write_config(
        tmp_path,
        train={"max_steps": 30, "eval_steps": 10, "learning_rate": 1e-2},
        evaluate={"max_new_tokens": 12, "report_examples": 4},
        registry={"url": f"sqlite:///{tmp_path / 'registry.db'}"},
    )
    assert main(["run", str(config_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    run_dir = tmp_path / "runs" / "tiny"
    assert f"Report: {(run_dir / 'eval' / 'report.html').resolve()}" in out

    results = json.loads((run_dir / "eval" / "eval.json").read_text())
    assert set(results["models"]) == {"base", "tuned", "baseline"}
    assert results["models"]["tuned"]["loss"] < results["models"]["base"]["loss"]
    # the cheapest baseline beside them, with the paired test of tuned against it, in the terminal too
    assert "nearest training question" in results["baseline"]["what"]
    assert (
        0 <= results["models"]["baseline"]["token_f1"] <= 1 and "p_value" in results["baseline_comparison"]["token_f1"]
    )
    assert "tuned − baseline (token_f1)" in out
    html = (run_dir / "eval" / "report.html").read_text()
    assert "data:image/png;base64," in html and "<th>tuned</th>" in html and "Against the cheapest baseline" in html

    # afina's batched, left-padded generation reproduces what evaluation recorded...
    config = load_config(config_path)
    model, tokenizer = load_result(config.run, config.model, config.seed)
    prompts = [[{"role": "user", "content": x["prompt"]}] for x in results["examples"][:8]]
    assert generate(model, tokenizer, prompts, max_new_tokens=12) == [x["tuned"] for x in results["examples"][:8]]
    # ...and so do plain peft and the merged model in plain transformers.
    answers = _verify_module().verify(run_dir, count=8)
    assert answers["peft"] == answers["merged"] == [x["tuned"] for x in results["examples"][:8]]

    assert main(["runs", "--registry", f"sqlite:///{tmp_path / 'registry.db'}"]) == 0
    listing = capsys.readouterr().out
    assert "tiny" in listing and "evaluated" in listing and "lora" in listing


def test_verify_catches_a_different_answer(tiny_base, tmp_path):
    config_path = write_config(tmp_path, train={"max_steps": 4, "eval_steps": 2}, evaluate={"max_new_tokens": 4})
    assert main(["run", str(config_path), "--quiet"]) == 0
    eval_path = tmp_path / "runs" / "tiny" / "eval" / "eval.json"
    results = json.loads(eval_path.read_text())
    results["examples"][0]["tuned"] += " (tampered)"
    eval_path.write_text(json.dumps(results))
    with pytest.raises(AssertionError, match="differs from afina"):
        _verify_module().verify(tmp_path / "runs" / "tiny", count=2)
