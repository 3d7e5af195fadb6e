"""The LoRA adapters of one base, in one peft model over one copy of the base weights: loaded when a request
first names one, evicted (least recently used first, never one in use) when they would pass a memory budget."""

from __future__ import annotations

import collections
import json
from pathlib import Path

from afina.errors import ConfigError


def adapter_base(path: Path) -> str:
    """The base an adapter folder was trained on, refusing what the server cannot batch with other adapters:
    peft's mixed-adapter batches take LoRA (not DoRA) only."""
    config_file = Path(path) / "adapter_config.json"
    if not config_file.is_file():
        raise ConfigError(f"{path} is not a PEFT adapter folder (no adapter_config.json)", key="--model")
    config = json.loads(config_file.read_text())
    if config.get("peft_type") != "LORA" or config.get("use_dora"):
        kind = "DoRA" if config.get("use_dora") else config.get("peft_type")
        raise ConfigError(
            f"{path} is a {kind} adapter; afina serve batches LoRA adapters only: serve the merged model "
            "(afina export) instead",
            key="--model",
        )
    if config.get("modules_to_save"):  # whole modules of their own: not batched beside other adapters here
        raise ConfigError(
            f"{path} trains {', '.join(config['modules_to_save'])} in full beside its LoRA; afina serve batches "
            "plain LoRA adapters only: serve the merged model (afina export) instead",
            key="--model",
        )
    return config["base_model_name_or_path"]


def adapter_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).glob("adapter_model.*"))


class AdapterSet:
    """Adapters by name over one base, in one peft model (`model`, made with the first adapter). `ensure`, called
    from the engine's thread between steps, loads the ones a batch needs."""

    def __init__(self, base_model, paths: dict[str, Path], budget_bytes: int):
        from peft import PeftModel

        self.paths = {name: Path(p) for name, p in paths.items()}
        self.budget = budget_bytes
        self.loaded: collections.OrderedDict[str, int] = collections.OrderedDict()  # name → bytes, LRU first
        self.loads = 0
        self.evictions = 0
        for name, path in self.paths.items():
            if adapter_bytes(path) > budget_bytes:
                raise ConfigError(
                    f"the adapter {name} ({adapter_bytes(path) / 2**20:.1f} MiB) is larger than the adapter "
                    f"memory budget ({budget_bytes / 2**20:.1f} MiB)",
                    key="--adapter-memory",
                )
        self.base = getattr(base_model, "name_or_path", None)
        first = next(iter(self.paths))
        self.model = PeftModel.from_pretrained(base_model, str(self.paths[first]), adapter_name=first).eval()
        self.loaded[first] = adapter_bytes(self.paths[first])
        self.loads = 1

    def add(self, name: str, path: Path) -> None:
        """Make one more adapter available (loaded when a request first needs it)."""
        self.paths[name] = Path(path)

    def ensure(self, names: set[str], in_use: set[str]) -> None:
        """Load each named adapter not loaded yet, evicting the least recently used of those no row needs while
        the budget would be passed (peft keeps at least one); the base's name ("__base__") needs nothing."""
        for name in sorted(n for n in names if n in self.paths):
            if name in self.loaded:
                self.loaded.move_to_end(name)
                continue
            size = adapter_bytes(self.paths[name])
            while sum(self.loaded.values()) + size > self.budget and len(self.loaded) > 1:
                idle = [n for n in self.loaded if n not in names | in_use]
                if not idle:
                    break  # every loaded adapter is in use: this batch goes over the budget until one finishes
                self.model.delete_adapter(idle[0])
                del self.loaded[idle[0]]
                self.evictions += 1
            self.model.load_adapter(str(self.paths[name]), adapter_name=name, is_trainable=False)
            self.loaded[name] = size
            self.loads += 1
