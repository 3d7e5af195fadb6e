"""The seed example, "AutoModelForSequenceClassification + LoRA r=8, lora_alpha=16,
target_modules=['q_lin','v_lin']", through afina's config and through plain peft: the adapters
have the same parameter names and shapes."""

import pytest
import yaml
from peft import LoraConfig, TaskType, get_peft_model
from safetensors import safe_open
from transformers import AutoModelForSequenceClassification

from afina.cli import main

from conftest import tiny_config
from tiny_families import build_tiny, write_reviews


def _shapes(path):
    with safe_open(str(path / "adapter_model.safetensors"), "pt") as f:
        return {key: tuple(f.get_slice(key).get_shape()) for key in f.keys()}


@pytest.mark.parametrize("model_type, targets", [("distilbert", ["q_lin", "v_lin"]), ("bert", ["query", "value"])])
def test_afina_lora_matches_plain_peft(model_type, targets, tiny_base, tmp_path):
    base = build_tiny(model_type, tiny_base, tmp_path / "base")
    config = tiny_config(
        tmp_path,
        model={"base_model": str(base)},
        data={"path": str(write_reviews(tmp_path / "r.csv")), "columns": {}},
        method={"name": "lora", "r": 8, "alpha": 16, "target_modules": targets},
        train={"max_steps": 2, "eval_steps": 2},
    )
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(config))
    assert main(["run", str(tmp_path / "c.yaml"), "--quiet"]) == 0

    # The seed's code, as written, on the same base.
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=2)
    plain = get_peft_model(model, LoraConfig(task_type=TaskType.SEQ_CLS, r=8, lora_alpha=16, target_modules=targets))
    plain.save_pretrained(tmp_path / "plain")

    ours = _shapes(tmp_path / "runs" / "tiny" / "adapter")
    assert ours == _shapes(tmp_path / "plain")
    assert any("lora_A" in k for k in ours) and any("classifier" in k for k in ours)
