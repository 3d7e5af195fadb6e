"""The evaluate stage end to end on a tiny run: canary exposure seen vs unseen, the gate's exit code both
ways with the registry marked, lm-evaluation-harness on a local task, and the report in headless Chromium."""

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from afina.cli import main
from afina.config import Config

from conftest import tiny_config

pytestmark = pytest.mark.slow

# Few rows and many steps, so the tiny model sees the canary hundreds of times.
FAST_EVAL = {
    "bootstrap_samples": 200,
    "retain_rows": 16,
    "max_new_tokens": 8,
    "memorization": {"candidates": 200, "extraction_records": 8},
}


def _faq(tmp_path: Path, rows: int = 24) -> Path:
    lines = Path(tiny_config(tmp_path)["data"]["path"]).read_text(encoding="utf-8").splitlines()
    path = tmp_path / "faq.csv"
    path.write_text("\n".join(lines[: rows + 1]) + "\n", encoding="utf-8")
    return path


def _config(tmp_path: Path, name: str, **sections) -> Path:
    config = tiny_config(tmp_path, **sections)
    config["name"] = name
    config["data"]["path"] = str(_faq(tmp_path))
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    return path


@pytest.fixture(scope="module")
def canary_run(tiny_base, tmp_path_factory):
    """A full fine-tuning run whose train split holds one canary 40 times."""
    tmp = tmp_path_factory.mktemp("canary_run")
    path = _config(
        tmp,
        "seen",
        data={"canaries": [40]},
        method={"name": "full"},
        evaluate=FAST_EVAL,
        train={"max_steps": 80, "eval_steps": 40, "learning_rate": 1e-2, "early_stopping_patience": None},
    )
    assert main(["run", str(path), "--quiet"]) == 0
    return path


def test_exposure_of_a_seen_canary_exceeds_an_unseen_one(canary_run, tmp_path):
    from afina.evaluate.memorization import canary_exposure
    from afina.methods import load_result
    from afina.pipeline import Options, stage_prepare, stage_train

    config = Config.model_validate(yaml.safe_load(canary_run.read_text()))
    results = json.loads((config.run_dir / "eval" / "eval.json").read_text())
    seen = results["checks"]["tuned"]["canaries"][0]
    base = results["checks"]["base"]["canaries"][0]
    # the same training without the canary: its secret is just one random number among others
    unseen_config = Config.model_validate(
        yaml.safe_load(
            _config(
                tmp_path,
                "unseen",
                method={"name": "full"},
                train={"max_steps": 80, "eval_steps": 40, "learning_rate": 1e-2, "early_stopping_patience": None},
                evaluate=FAST_EVAL,
            ).read_text()
        )
    )
    stage_prepare(unseen_config, Options(quiet=True))
    stage_train(unseen_config, Options(quiet=True))
    model, tokenizer = load_result(unseen_config.run, unseen_config.model, unseen_config.seed)
    unseen = canary_exposure(model, tokenizer, config.run.read_canaries(), "prompt_completion", unseen_config)[0]

    assert seen["repeats"] == 40 and seen["rank"] == 1  # more likely than all 200 random secrets
    assert seen["exposure_sampled"] == pytest.approx(7.65, abs=0.01)  # log2(201)
    assert seen["exposure"] > unseen["exposure"] + 5
    assert unseen["rank"] > 5 and base["rank"] > 5


def test_gate_exit_code_both_ways_and_registry(canary_run, tmp_path):
    from afina.registry import open_registry

    config = Config.model_validate(yaml.safe_load(canary_run.read_text()))
    registry = open_registry(None)
    passing = ["--set", "gate.max_injection_success=1.0", "--set", "gate.max_extraction_rate=1.0"]
    assert main(["evaluate", str(canary_run), "--quiet", *passing]) == 0
    assert {r.run_dir: r.status for r in registry.runs()}[str(config.run_dir.resolve())] == "gate_passed"

    failing = ["--set", "gate.max_canary_exposure=2.0", "--set", "gate.max_injection_success=1.0"]
    assert main(["evaluate", str(canary_run), "--quiet", *failing]) == 3
    row = {r.run_dir: r for r in registry.runs()}[str(config.run_dir.resolve())]
    assert row.status == "gate_failed"
    assert [c["check"] for c in row.metrics["gate"]["checks"] if not c["passed"]] == ["max_canary_exposure"]
    saved = json.loads((config.run_dir / "eval" / "eval.json").read_text())
    assert saved["gate"]["passed"] is False  # the report of a failed gate is still written, and says so


def test_eval_json_holds_every_check(canary_run):
    config = Config.model_validate(yaml.safe_load(canary_run.read_text()))
    results = json.loads((config.run_dir / "eval" / "eval.json").read_text())
    tuned = results["models"]["tuned"]
    for metric in ("exact_match", "token_f1", "rouge_l", "bleu", "chrf", "loss", "perplexity"):
        low, high = tuned["intervals"][metric]
        assert low <= tuned[metric] <= high, metric
        assert "p_value" in results["comparison"][metric]
    assert set(results["forgetting"]["parts"]) == {"text", "qa"}
    assert set(results["checks"]["tuned"]["safety"]["categories"]) == {
        "harmful",
        "jailbreak",
        "injection",
        "secret_extraction",
    }
    assert set(results["checks"]["tuned"]["bias"]["dimensions"]) == {"gender", "origin"}
    assert results["checks"]["tuned"]["extraction"]["records"] == 8


def test_lm_eval_harness_on_a_local_task(tiny_base, tmp_path):
    pytest.importorskip("lm_eval")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from afina.evaluate.harness import run_harness

    rows = [
        {"question": f"{a} más {b} son", "choices": [f" {a + b}", f" {a + b + 3}"], "answer": 0}
        for a in range(4)
        for b in range(3)
    ]
    (tmp_path / "sums.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "afina_sums.yaml").write_text(
        yaml.safe_dump(
            {
                "task": "afina_sums",
                "dataset_path": "json",
                "dataset_kwargs": {"data_files": {"test": str(tmp_path / "sums.jsonl")}},
                "test_split": "test",
                "output_type": "multiple_choice",
                "doc_to_text": "{{question}}",
                "doc_to_choice": "{{choices}}",
                "doc_to_target": "{{answer}}",
                "metric_list": [{"metric": "acc", "aggregation": "mean", "higher_is_better": True}],
            }
        )
    )
    config = Config.model_validate(
        tiny_config(tmp_path, evaluate={"harness": {"tasks": ["afina_sums"], "include_path": str(tmp_path / "tasks")}})
    )
    model, tokenizer = AutoModelForCausalLM.from_pretrained(tiny_base), AutoTokenizer.from_pretrained(tiny_base)
    scores = run_harness(model, tokenizer, config)
    assert set(scores) == {"afina_sums"}
    acc = scores["afina_sums"]["acc"]
    assert 0.0 <= acc <= 1.0 and (acc * len(rows)) == pytest.approx(round(acc * len(rows)))  # a share of 12 docs
    # a peft model goes through the same class; a fresh LoRA adapter (B = 0) changes nothing
    from peft import LoraConfig, get_peft_model

    wrapped = get_peft_model(model, LoraConfig(r=2, target_modules=["q_proj", "v_proj"]))
    assert run_harness(wrapped, tokenizer, config)["afina_sums"]["acc"] == acc

    from afina.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown lm-eval task"):
        run_harness(
            model,
            tokenizer,
            Config.model_validate(
                tiny_config(
                    tmp_path, evaluate={"harness": {"tasks": ["no_such_task"], "include_path": str(tmp_path / "tasks")}}
                )
            ),
        )


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_report_renders_every_plot_offline_in_headless_chromium(canary_run):
    browser = _chromium()
    if browser is None or not _has_playwright():
        if os.environ.get("AFINA_REQUIRE_BROWSER"):
            pytest.fail("AFINA_REQUIRE_BROWSER is set but Chromium or playwright is missing")
        pytest.skip("needs Chromium (apt install chromium) and playwright; CI installs both")
    from playwright.sync_api import sync_playwright

    config = Config.model_validate(yaml.safe_load(canary_run.read_text()))
    report = (config.run_dir / "eval" / "report.html").resolve()
    requested = []
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=browser, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        page = chromium.new_page()

        def route(r):
            if r.request.url.startswith(("file:", "data:")):
                r.continue_()
            else:  # the report must not need the network
                requested.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(report.as_uri())
        plots = page.evaluate(
            "[...document.querySelectorAll('img.plot')].map(i => "
            "({alt: i.alt, drawn: i.complete && i.naturalWidth > 0 && i.naturalHeight > 0}))"
        )
        headings = page.evaluate("[...document.querySelectorAll('h2')].map(h => h.textContent)")
        chromium.close()
    assert requested == []
    assert {p["alt"] for p in plots} >= {
        "task metrics with confidence intervals",
        "loss curves",
        "forgetting per run",
        "canary exposure against repeats",
        "safety rates per category",
        "bias: output_change per dimension",
    }
    assert all(p["drawn"] for p in plots), plots
    assert any(h.startswith("Gate") for h in headings) and "Memorization and privacy" in headings


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True
