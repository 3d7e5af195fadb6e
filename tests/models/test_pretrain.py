import json
import math

from transformers import AutoModelForCausalLM, AutoTokenizer

from afina.config import Config
from afina.models.pretrain import builtin_is_current, ensure_base

from conftest import tiny_config


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


def test_base_model_is_cached_and_rebuilt_only_when_its_recipe_changes(tiny_base, afina_home):
    config = Config.model_validate(tiny_config(afina_home))
    before = (tiny_base / "model.safetensors").stat().st_mtime_ns
    ensure_base(config.model, config.pretrain, config.seed, quiet=True)
    assert (tiny_base / "model.safetensors").stat().st_mtime_ns == before
    changed = Config.model_validate(tiny_config(afina_home, pretrain={"max_steps": 31}))
    assert builtin_is_current(config.model, config.pretrain, config.seed)
    assert not builtin_is_current(changed.model, changed.pretrain, changed.seed)
