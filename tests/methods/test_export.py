"""`afina export` (adapter merged into a standalone model) and `afina merge` (adapters combined)."""

import json

import pytest
import torch
import yaml
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer

from afina.cli import main
from afina.config import load_config
from afina.methods import load_result
from afina.models.generate import generate

from conftest import tiny_config

pytestmark = pytest.mark.slow
QUESTIONS = [
    [{"role": "user", "content": q}] for q in ("¿Cuánto cuesta la cafetera Brisa?", "¿Hacéis envíos a Francia?")
]


def _run(tmp_path, name, **sections):
    config = tiny_config(tmp_path, name=name, **sections)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    assert main(["run", str(path), "--quiet"]) == 0
    return path


@pytest.mark.parametrize(
    "method", [{"name": "lora", "r": 4, "alpha": 8}, {"name": "dora", "r": 4, "alpha": 8}, {"name": "ia3"}]
)
def test_export_loads_in_plain_transformers_and_generates_the_same_text(method, tiny_base, tmp_path):
    path = _run(tmp_path, "exp", method=method, train={"max_steps": 20, "eval_steps": 10, "learning_rate": 2e-2})
    assert main(["export", str(path), "--quiet", "--out", str(tmp_path / "standalone")]) == 0

    exported = AutoModelForCausalLM.from_pretrained(tmp_path / "standalone").eval()
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "standalone")
    config = load_config(path)
    adapted, _ = load_result(config.run, config.model, config.seed)
    assert generate(exported, tokenizer, QUESTIONS, max_new_tokens=16) == generate(
        adapted, tokenizer, QUESTIONS, max_new_tokens=16
    )
    # what the export measured: the same answers, the same logits to float rounding
    fidelity = json.loads((tmp_path / "standalone" / "afina_export.json").read_text())
    assert fidelity["same_greedy_answers"] == fidelity["prompts"] > 0 and fidelity["max_logit_difference"] < 1e-3


def test_a_qlora_export_says_how_far_it_is_from_the_4bit_model_it_was_trained_on(tiny_base, tmp_path, capsys):
    """A QLoRA adapter is merged into the full-precision base, not the 4-bit one it was trained on: the export
    measures the difference on the test prompts, writes it beside the model and prints it."""
    method = {"name": "qlora", "r": 4, "alpha": 8}
    path = _run(tmp_path, "q", method=method, train={"max_steps": 12, "eval_steps": 6, "learning_rate": 2e-2})
    capsys.readouterr()
    assert main(["export", str(path), "--out", str(tmp_path / "merged")]) == 0
    out = capsys.readouterr().out
    fidelity = json.loads((tmp_path / "merged" / "afina_export.json").read_text())
    assert fidelity["method"] == "qlora" and 0 <= fidelity["same_greedy_answers"] <= fidelity["prompts"]
    assert fidelity["prompts"] > 0 and fidelity["max_logit_difference"] > 1e-3  # 4 bits are not full precision
    assert "trained on a 4-bit base" in out and f"{fidelity['same_greedy_answers']} greedy answers the same" in out


def test_export_refuses_a_method_that_cannot_merge(tiny_base, tmp_path, capsys):
    path = _run(
        tmp_path, "pfx", method={"name": "prefix", "num_virtual_tokens": 4}, train={"max_steps": 2, "eval_steps": 2}
    )
    assert main(["export", str(path), "--quiet"]) == 2
    assert "mergeable methods: dora, ia3, lora, qlora" in capsys.readouterr().err


def test_merge_combines_adapters_linear_and_ties(tiny_base, tmp_path):
    # Two different adapters on the same base (the seed stays: it is part of the cached base's recipe).
    a = _run(tmp_path, "a", train={"max_steps": 10, "eval_steps": 5, "learning_rate": 2e-2})
    b = _run(tmp_path, "b", train={"max_steps": 6, "eval_steps": 3, "learning_rate": 1e-2})
    adapters = [str(tmp_path / "runs" / n / "adapter") for n in ("a", "b")]
    batch = AutoTokenizer.from_pretrained(tiny_base)(["¿Cuánto cuesta la cafetera Brisa?"], return_tensors="pt")

    def logits(adapter):
        model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_base), adapter).eval()
        with torch.no_grad():
            return model(**batch).logits

    outputs = {}
    for combination, weights in (("linear", [1.0, 0.0]), ("ties", [0.5, 0.5])):
        config = tiny_config(
            tmp_path,
            name="merged",
            merge={
                "adapters": adapters,
                "weights": weights,
                "combination": combination,
                "output": str(tmp_path / combination),
            },
        )
        (tmp_path / "m.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
        assert main(["merge", str(tmp_path / "m.yaml"), "--quiet"]) == 0
        assert json.loads((tmp_path / combination / "adapter_config.json").read_text())["peft_type"] == "LORA"
        outputs[combination] = logits(str(tmp_path / combination))

    # Weights (1, 0) reproduce the first adapter exactly; TIES gives a third model, different from both.
    torch.testing.assert_close(outputs["linear"], logits(adapters[0]), atol=1e-5, rtol=1e-5)
    assert not torch.allclose(outputs["ties"], logits(adapters[0]), atol=1e-4)
    assert not torch.allclose(outputs["ties"], logits(adapters[1]), atol=1e-4)
    assert a.exists() and b.exists()
