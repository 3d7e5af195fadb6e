import json
import math
from pathlib import Path

from transformers import AutoModelForCausalLM, AutoTokenizer

from afina.config import Config
from afina.models import resolve_base
from afina.models.pretrain import builtin_is_current, ensure_base

from conftest import TINY_PRETRAIN, tiny_config


def test_pretrained_base_is_a_standard_transformers_folder(tiny_base):
    model = AutoModelForCausalLM.from_pretrained(tiny_base)
    tokenizer = AutoTokenizer.from_pretrained(tiny_base)
    assert model.config.model_type == "llama"
    assert (tiny_base / "model.safetensors").is_file()
    text = tokenizer.apply_chat_template(
        [{"role": "user", "content": "¿Hola?"}], add_generation_prompt=True, tokenize=False
    )
    assert text == "<|im_start|>user\n¿Hola?<|im_end|>\n<|im_start|>assistant\n"
    assert (
        tokenizer.decode(tokenizer("Después del lunes viene el martes.")["input_ids"])
        == "Después del lunes viene el martes."
    )


def test_pretraining_learns_something(tiny_base):
    built = json.loads((tiny_base / "afina_pretrain.json").read_text())
    # A model that learned nothing predicts uniformly: loss = ln(vocab size).
    assert built["train_loss"] < math.log(built["pretrain"]["vocab_size"]) - 0.5


def test_base_model_is_cached_per_recipe_and_never_rebuilt_in_place(tiny_base, afina_home):
    config = Config.model_validate(tiny_config(afina_home))
    before = (tiny_base / "model.safetensors").stat().st_mtime_ns
    assert ensure_base(config.model, config.pretrain, quiet=True) == str(tiny_base)
    assert (tiny_base / "model.safetensors").stat().st_mtime_ns == before
    assert builtin_is_current(config.model, config.pretrain)
    # the fine-tuning run's seed is not the base's: another seed finds the same base, built once
    reseeded = Config.model_validate(tiny_config(afina_home, seed=7))
    assert resolve_base(reseeded.model, reseeded.pretrain) == str(tiny_base)
    # another recipe is another base, beside the first, which stays as it was
    changed = Config.model_validate(tiny_config(afina_home, pretrain={**TINY_PRETRAIN, "max_steps": 2}))
    assert not builtin_is_current(changed.model, changed.pretrain)
    other = ensure_base(changed.model, changed.pretrain, quiet=True)
    assert other != str(tiny_base) and (Path(other) / "model.safetensors").is_file()
    assert (tiny_base / "model.safetensors").stat().st_mtime_ns == before
    assert json.loads((Path(other) / "afina_pretrain.json").read_text())["pretrain"]["max_steps"] == 2
