"""Fine-tuning methods, one module each, all with the same shape, found by `method.name`.

A method module defines:
    PARAMS        its config class (in afina/config.py, so the YAML is validated at the door)
    TASKS         the tasks it supports (generation, classification, seq2seq)
    MODEL_TYPES   the model types it supports (None: any that transformers and peft handle)
    MERGEABLE     whether its result can be merged into the base weights (`afina export`)
    ARTIFACT      what it saves: "adapter" (a PEFT folder, or afina's own adapter) or "model"
    load_kwargs(params) -> extra from_pretrained() arguments for the base (4-bit for QLoRA)
    prepare_model(model, params, task) -> the model, ready to train
    load_trained(base_model, path) -> the trained model, given the base loaded with load_kwargs
"""

from __future__ import annotations

import importlib
from types import ModuleType

from afina.config import METHOD_PARAMS
from afina.errors import ConfigError

# Model types each method is tested on (tests/methods/test_matrix.py runs every pair).
TESTED_MODEL_TYPES = ("llama", "gpt2", "qwen2", "mistral", "bert", "distilbert", "roberta", "t5")


def get_method(name: str) -> ModuleType:
    """The module that implements `method.name` (config validation guarantees it exists)."""
    return importlib.import_module(f"afina.methods.{name}")


def all_methods() -> dict[str, ModuleType]:
    return {name: get_method(name) for name in METHOD_PARAMS}


def check_supported(name: str, model_type: str, task: str) -> None:
    """Refuse a method on a model type or task it does not support, naming those it does."""
    method = get_method(name)
    if task not in method.TASKS:
        raise ConfigError(f"method '{name}' does not support the {task} task; it supports: "
                          f"{', '.join(method.TASKS)}", key="method.name")
    if method.MODEL_TYPES is not None and model_type not in method.MODEL_TYPES:
        raise ConfigError(f"method '{name}' does not support {model_type} models; it supports: "
                          f"{', '.join(sorted(method.MODEL_TYPES))}", key="method.name")


def _count(parameter) -> int:
    # A 4-bit weight (bitsandbytes Params4bit) packs two parameters into each stored byte.
    return parameter.numel() * 2 if type(parameter).__name__ == "Params4bit" else parameter.numel()


def trainable_parameters(model) -> dict:
    total = sum(_count(p) for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return {"trainable": trainable, "total": total, "percent": round(100 * trainable / max(total, 1), 4)}


def save_result(method: ModuleType, model, path) -> None:
    """Save what a method trained, in its library's format (afina's own for `adapter`)."""
    if hasattr(method, "save_trained"):
        method.save_trained(model, path)
    else:
        model.save_pretrained(path)


def load_result(path, config, task: str, labels: list[str] | None = None):
    """Load a run's adapter/ or model/ folder for inference, on the base its method expects."""
    import json
    from pathlib import Path

    from transformers import set_seed

    from afina.models import load_model
    from afina.models.families import label_kwargs

    # Seeded as in training, so what the base checkpoint lacks (a new pooler, say) is initialised alike.
    set_seed(config.seed)
    method = get_method(config.method.name)
    kwargs = method.load_kwargs(config.method) | label_kwargs(labels)
    path = Path(path)
    if method.ARTIFACT == "model":
        return load_model(str(path), config, task, **kwargs)
    saved = next(path / name for name in ("adapter_config.json", "afina_adapter_config.json") if (path / name).is_file())
    base = json.loads(saved.read_text())["base_model_name_or_path"]
    return method.load_trained(load_model(base, config, task, **kwargs), path)
