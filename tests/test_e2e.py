"""`afina run` end to end on a tiny model: the artifacts load in plain peft/transformers and give
the same greedy output as afina's own generation; the report and the registry hold the run."""

import json

import pytest
import torch
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer

from afina.cli import main
from afina.config import load_config
from afina.models.generate import generate, load_trained
from conftest import write_config

pytestmark = pytest.mark.slow


def _plain_greedy(model, tokenizer, question: str, max_new_tokens: int) -> str:
    """What a user would write with plain transformers, one prompt at a time, no padding."""
    ids = tokenizer.apply_chat_template([{"role": "user", "content": question}], add_generation_prompt=True,
                                        return_tensors="pt", return_dict=True)
    with torch.inference_mode():
        out = model.generate(**ids, max_new_tokens=max_new_tokens, do_sample=False,
                             pad_token_id=tokenizer.pad_token_id)
    return tokenizer.decode(out[0, ids["input_ids"].shape[1]:], skip_special_tokens=True).strip()


def test_run_then_plain_peft_and_merged_transformers_match_afina(tiny_base, tmp_path, capsys):
    config_path = write_config(tmp_path, train={"max_steps": 30, "eval_steps": 10, "learning_rate": 1e-2},
                               evaluate={"max_new_tokens": 12, "report_examples": 4},
                               registry={"url": f"sqlite:///{tmp_path / 'registry.db'}"})
    assert main(["run", str(config_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    run_dir = tmp_path / "runs" / "tiny"
    assert f"Report: {(run_dir / 'eval' / 'report.html').resolve()}" in out

    results = json.loads((run_dir / "eval" / "eval.json").read_text())
    assert set(results["models"]) == {"base", "tuned"}
    assert results["models"]["tuned"]["loss"] < results["models"]["base"]["loss"]
    html = (run_dir / "eval" / "report.html").read_text()
    assert "data:image/png;base64," in html and "<th>tuned</th>" in html

    config = load_config(config_path)
    questions = [x["prompt"] for x in results["examples"][:6]]
    model, tokenizer = load_trained(run_dir / "adapter", config)
    ours = generate(model, tokenizer, [[{"role": "user", "content": q}] for q in questions], max_new_tokens=12)
    assert ours == [x["tuned"] for x in results["examples"][:6]]

    tokenizer = AutoTokenizer.from_pretrained(run_dir / "adapter")
    plain = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_base), run_dir / "adapter").eval()
    assert [_plain_greedy(plain, tokenizer, q, 12) for q in questions] == ours

    merged_dir = tmp_path / "merged"
    plain.merge_and_unload().save_pretrained(merged_dir)
    merged = AutoModelForCausalLM.from_pretrained(merged_dir).eval()
    assert [_plain_greedy(merged, tokenizer, q, 12) for q in questions] == ours

    assert main(["runs", "--registry", f"sqlite:///{tmp_path / 'registry.db'}"]) == 0
    listing = capsys.readouterr().out
    assert "tiny" in listing and "evaluated" in listing and "lora" in listing
