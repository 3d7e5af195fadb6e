"""A base quantised as it loads, read from its checkpoint one tensor at a time.

transformers maps each safetensors file whole and keeps the mapping until every tensor is loaded: a
base quantised to 4 bits on load (QLoRA) would still peak at its full-precision size, every page it
read staying resident beside the 4-bit weights it made of them. Read with pread instead, each tensor
is its own block, freed once quantised (`afina.malloc.giving_back` makes glibc hand it back), so the
peak is the 4-bit weights and one tensor. transformers has no switch for this (its `disable_mmap`
reads whole files), so afina hands it a state dict of lazy pread slices.
"""

from __future__ import annotations

import json
from pathlib import Path

from afina.malloc import giving_back

# from_pretrained() arguments a streamed load passes on; with any other (a classification head's labels,
# say) the model loads the usual way
STREAMED_KWARGS = frozenset({"quantization_config", "device_map", "dtype"})


def checkpoint_files(name_or_path: str, revision: str | None) -> list[str] | None:
    """The model's safetensors files (each shard of a sharded one), from its folder or the hub's cache
    (downloaded if missing, as from_pretrained would); None where it has none (a .bin checkpoint)."""
    from transformers.utils import cached_file

    def find(filename: str) -> str | None:
        return cached_file(
            name_or_path,
            filename,
            revision=revision,
            _raise_exceptions_for_missing_entries=False,
            _raise_exceptions_for_connection_errors=False,
        )

    single = find("model.safetensors")  # preferred to an index beside it, as transformers does
    if single:
        return [single]
    index = find("model.safetensors.index.json")
    if not index:
        return None
    shards = sorted(set(json.loads(Path(index).read_text())["weight_map"].values()))
    files = [find(shard) for shard in shards]
    return files if all(files) else None


def load_streamed(model_class, name_or_path: str, revision: str | None, trust_remote_code: bool, kwargs: dict):
    """`model_class.from_pretrained(name_or_path, **kwargs)` with the weights read tensor by tensor, or None
    where that cannot be done here (other kwargs, no safetensors, a config that names no dtype, a class
    transformers does not map to this config or that remote code replaces, a safetensors release without
    pread): the caller then loads the usual way."""
    from safetensors import safe_open
    from transformers import AutoConfig, GenerationConfig

    if not set(kwargs) <= STREAMED_KWARGS:
        return None
    files = checkpoint_files(name_or_path, revision)
    if files is None:
        return None
    config = AutoConfig.from_pretrained(name_or_path, revision=revision, trust_remote_code=trust_remote_code)
    if model_class.__name__ in (getattr(config, "auto_map", None) or {}):  # remote code's class
        return None
    if getattr(config, "dtype", None) is None and "dtype" not in kwargs:  # "auto" would read the lazy slices
        return None
    mapping = getattr(model_class, "_model_mapping", None)  # an Auto class's: config class -> model class
    concrete = model_class if mapping is None else mapping.get(type(config), None)
    if concrete is None or isinstance(concrete, tuple) or not isinstance(config, concrete.config_class):
        return None  # nothing mapped, several to choose from, or a class of a sub-config (composite models)
    try:
        handles = [safe_open(file, framework="pt", device="cpu", backend="pread") for file in files]
    except TypeError:  # safetensors before pread
        return None
    state = {key: handle.get_slice(key) for handle in handles for key in handle.keys()}
    try:
        with giving_back():
            model = concrete.from_pretrained(None, config=config, state_dict=state, **kwargs)
    finally:
        state.clear()
        for handle in handles:
            handle.__exit__(None, None, None)
    # from_pretrained(None) names the model "None", which peft would write into the adapter as its base
    model.config.name_or_path = model.name_or_path = name_or_path
    try:
        model.generation_config = GenerationConfig.from_pretrained(name_or_path, revision=revision)
    except OSError:  # the checkpoint has none: from_pretrained would have made the same one from the config
        pass
    return model
