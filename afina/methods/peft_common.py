"""What the methods share: the heads they take, the task head left out of adaptation, and peft's reload."""

from __future__ import annotations

import json

from afina.models.heads import HEAD_NAMES, HEADS

ALL_HEADS = frozenset(HEADS)
# The speed switches an additive peft method leaves the model fit for (see afina/speed).
ADDITIVE_SPEED = frozenset({"padding_free", "frozen_bf16"})


def head_modules(model) -> list[str]:
    """Names of the task-head modules present in the model (kept out of LoRA/IA3 targets)."""
    present = {name.split(".")[-1] for name, _ in model.named_modules()}
    return [name for name in HEAD_NAMES if name in present]


def model_dims(model) -> dict:
    """Width, heads and depth, read from configs that name them differently (DistilBERT: dim, n_heads)."""
    c = model.config
    pick = lambda *names: next((getattr(c, n) for n in names if getattr(c, n, None) is not None), None)  # noqa: E731
    return {
        "token_dim": pick("hidden_size", "dim", "d_model", "n_embd"),
        "num_attention_heads": pick("num_attention_heads", "n_heads", "num_heads", "n_head"),
        "num_layers": pick("num_hidden_layers", "n_layers", "num_layers", "n_layer"),
    }


def wrap(model, peft_config):
    """The model wrapped by peft with this config (its adapter trainable, the rest frozen)."""
    from peft import get_peft_model

    return get_peft_model(model, peft_config)


def load_trained(base_model, path):
    """A saved PEFT adapter folder on its base model."""
    from peft import PeftModel

    return PeftModel.from_pretrained(base_model, str(path))


def start_from(model, path) -> None:
    """Set a freshly wrapped peft model's adapter to the weights of a saved adapter folder (`train.init_from`):
    training goes on from that adapter instead of from peft's initialisation. Its method and settings must be
    the ones it was saved with; anything else is refused, naming what differs."""
    from pathlib import Path

    from peft import PeftModel, load_peft_weights, set_peft_model_state_dict

    from afina.errors import ConfigError

    if not isinstance(model, PeftModel):
        raise ConfigError(
            "train.init_from continues a peft adapter; to go on from a whole model, make it model.base_model",
            key="train.init_from",
        )
    if not (Path(path) / "adapter_config.json").is_file():
        raise ConfigError(f"{path} is not a peft adapter folder (no adapter_config.json)", key="train.init_from")
    saved = sorted(json.loads((Path(path) / "adapter_config.json").read_text()).get("modules_to_save") or [])
    wanted = sorted(model.peft_config[model.active_adapter].modules_to_save or [])
    if saved != wanted:  # its trained copies would be written over the base's modules, or find no place
        raise ConfigError(
            f"{path} trains {saved or 'no modules'} in full beside its adapter, the new settings {wanted or 'none'} "
            "(method.modules_to_save must be the same)",
            key="train.init_from",
        )
    try:
        loaded = set_peft_model_state_dict(model, load_peft_weights(str(path), device="cpu"))
    except RuntimeError as exc:  # torch names each tensor whose shape differs
        raise ConfigError(
            f"{path} does not fit the method settings (rank, targets): {str(exc).splitlines()[-1].strip()}",
            key="train.init_from",
        ) from None
    adapter = [k for k in loaded.missing_keys if ".default." in k or k.endswith(".default")]
    if loaded.unexpected_keys or adapter:
        odd = (loaded.unexpected_keys or adapter)[0]
        raise ConfigError(
            f"{path} does not fit the method settings: {len(loaded.unexpected_keys)} of its tensors have no place in "
            f"the new adapter and {len(adapter)} of the new adapter's are not in it (e.g. {odd})",
            key="train.init_from",
        )


def load_kwargs(params) -> dict:
    """No from_pretrained() arguments beyond the head's."""
    return {}
