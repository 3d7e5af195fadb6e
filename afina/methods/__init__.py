"""Fine-tuning methods, one module each, all with the same shape (`Method`), found by `method.name`.

A method registers itself by being a module of this package that defines `PARAMS`: the method
table and the config's `method:` union are built from what is here, so adding a method is adding
a module (CONTRIBUTING.md).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Literal, Protocol

from afina.discovery import modules_defining
from afina.errors import ConfigError
from afina.models import ModelConfig, load_model, load_tokenizer
from afina.models.heads import HEADS, Head, label_kwargs
from afina.runfolder import RunFolder
from afina.settings import Section

# Model types each method is tested on (tests/methods/test_matrix.py runs every pair).
TESTED_MODEL_TYPES = ("llama", "gpt2", "qwen2", "mistral", "bert", "distilbert", "roberta", "t5")


class Method(Protocol):
    """What a method module defines."""

    PARAMS: type[Section]  # its config section; `name` is a Literal of the method's name
    HEADS: frozenset[str]  # the model heads it trains (afina.models.heads)
    MODEL_TYPES: set[str] | None  # the model types it supports (None: any that transformers and peft handle)
    MERGEABLE: bool  # whether its result can be merged into the base weights (`afina export`)
    ARTIFACT: Literal["adapter", "model"]  # a PEFT folder (or afina's own adapter), or a whole model folder
    SPEED: frozenset[str]  # the speed switches the trained model stays fit for (afina.speed.METHOD_SWITCHES)
    ACTIVATION_CHECKPOINTING: bool  # its default for train.activation_checkpointing (on where memory is its point)

    def load_kwargs(self, params) -> dict:
        """Extra from_pretrained() arguments for the base (4-bit for QLoRA)."""

    def prepare_model(self, model, params, head: Head):
        """The base model, ready to train by this method."""

    def load_trained(self, base_model, path: Path):
        """The trained model, given its base loaded with load_kwargs (not for ARTIFACT == "model")."""


@functools.cache
def all_methods() -> dict[str, Method]:
    """Every method module of this package, by name."""
    found = modules_defining(__name__, __path__, "PARAMS")
    return dict(sorted((module.PARAMS.model_fields["name"].default, module) for module in found.values()))


def get_method(name: str) -> Method:
    """The module that implements `method.name` (config validation guarantees it exists)."""
    return all_methods()[name]


def method_params() -> dict[str, type[Section]]:
    """Each method's settings class, by name: the config's `method:` section is one of these."""
    return {name: module.PARAMS for name, module in all_methods().items()}


def check_supported(name: str, model_type: str, head: Head) -> None:
    """Refuse a method on a model type or head it does not support, naming those it does."""
    method = get_method(name)
    if head.name not in method.HEADS:
        raise ConfigError(
            f"method '{name}' does not support the {head.name} head; it supports: {', '.join(sorted(method.HEADS))}",
            key="method.name",
        )
    if method.MODEL_TYPES is not None and model_type not in method.MODEL_TYPES:
        raise ConfigError(
            f"method '{name}' does not support {model_type} models; it supports: "
            f"{', '.join(sorted(method.MODEL_TYPES))}",
            key="method.name",
        )


def _count(parameter) -> int:
    # A 4-bit weight (bitsandbytes Params4bit) packs two parameters into each stored byte.
    return parameter.numel() * 2 if type(parameter).__name__ == "Params4bit" else parameter.numel()


def trainable_parameters(model) -> dict:
    """Trainable and total parameters of a prepared model, and the trainable share in percent."""
    total = sum(_count(p) for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return {"trainable": trainable, "total": total, "percent": round(100 * trainable / max(total, 1), 4)}


def save_result(method: Method, model, path) -> None:
    """Save what a method trained, in its library's format (afina's own for `adapter`)."""
    if hasattr(method, "save_trained"):
        method.save_trained(model, path)
    else:
        model.save_pretrained(path)


def load_trained(
    path: Path, model_config: ModelConfig, method: Section, head: Head, labels: list[str] | None, seed: int
):
    """A run's adapter/ or model/ folder loaded for inference on the base its method expects, with its
    tokenizer: (model in eval mode, tokenizer). `method` is the run's method section."""
    from transformers import set_seed

    # Seeded as in training, so what the base checkpoint lacks (a new pooler, say) is initialised alike.
    set_seed(seed)
    module = get_method(method.name)
    kwargs = module.load_kwargs(method) | label_kwargs(labels)
    path = Path(path)
    tokenizer = load_tokenizer(str(path), model_config)
    if module.ARTIFACT == "model":
        return load_model(str(path), model_config, head, **kwargs).eval(), tokenizer
    saved = next(
        path / name for name in ("adapter_config.json", "afina_adapter_config.json") if (path / name).is_file()
    )
    base = json.loads(saved.read_text())["base_model_name_or_path"]
    return module.load_trained(load_model(base, model_config, head, **kwargs), path).eval(), tokenizer


def load_result(run: RunFolder, model_config: ModelConfig, seed: int):
    """The run's current result, the one its train summary names, loaded as `load_trained` does with the
    method settings it was trained with (whatever the config says now): (model in eval mode, tokenizer)."""
    summary = run.read_train_summary()
    settings = method_params()[summary.method].model_validate(summary.method_settings)
    return load_trained(run.result(summary), model_config, settings, HEADS[summary.head], summary.labels, seed)
