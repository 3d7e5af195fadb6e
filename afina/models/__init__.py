"""Base models: where one comes from (hub id, local folder, or one `afina pretrain` built in
AFINA_HOME) and how it is loaded with the head an objective needs. Offline works: HF_HUB_OFFLINE is
respected by transformers.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import Field

from afina.errors import ConfigError
from afina.models.heads import CAUSAL_LM, Head
from afina.runfolder import afina_home
from afina.settings import Section

PREFIX = "afina:"


class ModelConfig(Section):
    base_model: str = Field(
        "afina:demo-base",
        description="A hub id, a local folder, or afina:NAME for a model `afina pretrain` built in AFINA_HOME.",
    )
    revision: str | None = Field(None, description="Hub revision (branch, tag or commit) of base_model.")
    trust_remote_code: bool = Field(
        False, description="Run code shipped with a hub model. Off by default: only for models you trust."
    )


def recipe_key(pretrain: Section) -> str:
    """A short hash of a whole pretrain section (its seed included): the cache key of the base it builds."""
    text = json.dumps(pretrain.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def builtin_path(name: str, pretrain: Section) -> Path:
    """Where the afina: model NAME built from this pretrain recipe lives: AFINA_HOME/models/NAME/<recipe
    hash>. Bases of different recipes live side by side, and one is never rebuilt in place, so a run keeps
    the base it was trained on."""
    return afina_home() / "models" / name.removeprefix(PREFIX) / recipe_key(pretrain)


def is_builtin(model: ModelConfig) -> bool:
    """True when the base is a model `afina pretrain` builds (afina:NAME)."""
    return model.base_model.startswith(PREFIX)


def resolve_base(model: ModelConfig, pretrain: Section) -> str:
    """The path or hub id transformers should load for `model.base_model` (`pretrain`: the recipe of an
    afina: base)."""
    if is_builtin(model):
        return str(builtin_path(model.base_model, pretrain))
    return model.base_model


def load_tokenizer(name_or_path: str, model: ModelConfig):
    """The tokenizer of a base model or of a trained result, with a pad token and a chat template."""
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(
            name_or_path, revision=model.revision, trust_remote_code=model.trust_remote_code
        )
    except OSError as exc:
        raise ConfigError(f"cannot load a tokenizer from '{name_or_path}': {exc}", key="model.base_model") from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    if tokenizer.chat_template is None:
        from afina.models.pretrain import CHAT_TEMPLATE

        tokenizer.chat_template = CHAT_TEMPLATE  # base models without one get ChatML
    return tokenizer


def read_model_config(name_or_path: str, model: ModelConfig):
    """The base model's transformers config (no weights loaded); an afina: model not built yet is a Llama."""
    from transformers import AutoConfig, LlamaConfig

    if is_builtin(model) and not Path(name_or_path, "config.json").is_file():
        return LlamaConfig()
    try:
        return AutoConfig.from_pretrained(
            name_or_path, revision=model.revision, trust_remote_code=model.trust_remote_code
        )
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the model config of '{name_or_path}': {exc}", key="model.base_model") from None


def load_model(name_or_path: str, model: ModelConfig, head: Head = CAUSAL_LM, **kwargs):
    """Load a model with a head (causal LM, sequence classification, seq2seq LM); kwargs go to from_pretrained.
    A base quantised as it loads is read tensor by tensor (afina.models.streamed), where its checkpoint allows."""
    try:
        if "quantization_config" in kwargs:
            from afina.models.streamed import load_streamed

            streamed = load_streamed(head.load_class(), name_or_path, model.revision, model.trust_remote_code, kwargs)
            if streamed is not None:
                return streamed
        return head.load_class().from_pretrained(
            name_or_path, revision=model.revision, trust_remote_code=model.trust_remote_code, **kwargs
        )
    except OSError as exc:
        hint = " (HF_HUB_OFFLINE is set: only cached or local models load)" if _offline() else ""
        raise ConfigError(f"cannot load the model '{name_or_path}'{hint}: {exc}", key="model.base_model") from None


def _offline() -> bool:
    import os

    return os.environ.get("HF_HUB_OFFLINE", "0") not in ("", "0", "false", "False")
