"""The models stage: where a base model comes from (hub id, local folder, or one `afina pretrain`
built in AFINA_HOME) and how it is loaded. Offline works: HF_HUB_OFFLINE is respected by transformers.
"""

from __future__ import annotations

import json
from pathlib import Path

from afina.config import Config
from afina.errors import ConfigError
from afina.runfolder import afina_home

PREFIX = "afina:"


def builtin_path(name: str) -> Path:
    return afina_home() / "models" / name.removeprefix(PREFIX)


def resolve_base(config: Config) -> str:
    """The path or hub id transformers should load for `model.base_model`."""
    base = config.model.base_model
    if base.startswith(PREFIX):
        return str(builtin_path(base))
    return base


def builtin_is_current(config: Config) -> bool:
    """True when the afina: base model exists and was built from the same pretrain section and seed."""
    marker = builtin_path(config.model.base_model) / "afina_pretrain.json"
    if not marker.is_file():
        return False
    built = json.loads(marker.read_text())
    return built["pretrain"] == config.pretrain.model_dump(mode="json") and built["seed"] == config.seed


def ensure_base(config: Config, quiet: bool = False) -> str:
    """Pretrain the afina: base model when it is missing or stale; return what to load."""
    if config.model.base_model.startswith(PREFIX) and not builtin_is_current(config):
        from afina.models.pretrain import pretrain

        if not quiet:
            print(f"Pretraining the base model {config.model.base_model} (cached in {builtin_path(config.model.base_model)})")
        pretrain(config, builtin_path(config.model.base_model), quiet=quiet)
    return resolve_base(config)


def load_tokenizer(name_or_path: str, config: Config):
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(name_or_path, revision=config.model.revision,
                                                  trust_remote_code=config.model.trust_remote_code)
    except OSError as exc:
        raise ConfigError(f"cannot load a tokenizer from '{name_or_path}': {exc}", key="model.base_model") from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    if tokenizer.chat_template is None:
        from afina.models.pretrain import CHAT_TEMPLATE

        tokenizer.chat_template = CHAT_TEMPLATE  # base models without one get ChatML
    return tokenizer


def read_model_config(name_or_path: str, config: Config):
    """The base model's transformers config (no weights loaded); an afina: model not built yet is a Llama."""
    from transformers import AutoConfig, LlamaConfig

    if config.model.base_model.startswith(PREFIX) and not Path(name_or_path, "config.json").is_file():
        return LlamaConfig()
    try:
        return AutoConfig.from_pretrained(name_or_path, revision=config.model.revision,
                                          trust_remote_code=config.model.trust_remote_code)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the model config of '{name_or_path}': {exc}", key="model.base_model") from None


def load_model(name_or_path: str, config: Config, task: str = "generation", **kwargs):
    """Load a model for a task (generation, classification or seq2seq); kwargs go to from_pretrained."""
    from afina.models.families import auto_class

    try:
        return auto_class(task).from_pretrained(name_or_path, revision=config.model.revision,
                                                trust_remote_code=config.model.trust_remote_code, **kwargs)
    except OSError as exc:
        hint = " (HF_HUB_OFFLINE is set: only cached or local models load)" if _offline() else ""
        raise ConfigError(f"cannot load the model '{name_or_path}'{hint}: {exc}", key="model.base_model") from None


def _offline() -> bool:
    import os

    return os.environ.get("HF_HUB_OFFLINE", "0") not in ("", "0", "false", "False")
