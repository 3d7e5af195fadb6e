"""`afina export` and `afina merge`: an adapter merged into its base as a standalone transformers
model, and several adapters trained on different tasks combined into one (peft's weighted linear,
TIES and DARE)."""

from __future__ import annotations

import json
from pathlib import Path

from afina.config import Config
from afina.errors import ConfigError
from afina.methods import all_methods, get_method
from afina.models import load_model, load_tokenizer
from afina.models.families import label_kwargs
from afina.runfolder import atomic_dir


def export_merged(config: Config, run_dir: Path, task: str, labels: list[str] | None, out: Path) -> Path:
    """Merge the run's adapter into its base weights and save a standalone model folder at `out`."""
    from peft import PeftModel

    method = get_method(config.method.name)
    if method.ARTIFACT == "model":
        raise ConfigError(f"method '{config.method.name}' already wrote a standalone model: {run_dir / 'model'}",
                          key="method.name")
    if not method.MERGEABLE:
        mergeable = sorted(n for n, m in all_methods().items() if m.MERGEABLE)
        raise ConfigError(f"method '{config.method.name}' cannot be merged into the base weights; mergeable methods: "
                          f"{', '.join(mergeable)}", key="method.name")
    adapter = Path(run_dir) / "adapter"
    base = json.loads((adapter / "adapter_config.json").read_text())["base_model_name_or_path"]
    # QLoRA adapters merge into a full-precision copy of the base: a 4-bit model cannot be saved merged.
    base_model = load_model(base, config, task, **label_kwargs(labels))
    model = PeftModel.from_pretrained(base_model, str(adapter)).merge_and_unload()
    with atomic_dir(Path(out)) as tmp:
        model.save_pretrained(tmp)
        load_tokenizer(str(adapter), config).save_pretrained(tmp)
    return Path(out)


def merge_adapters(config: Config, out: Path) -> Path:
    """Combine `merge.adapters` (LoRA, same base) into one PEFT adapter folder at `out`."""
    from peft import PeftModel

    m = config.merge
    if len(m.adapters) < 2:
        raise ConfigError("list at least two adapter folders to merge", key="merge.adapters")
    weights = m.weights or [1.0 / len(m.adapters)] * len(m.adapters)
    if len(weights) != len(m.adapters):
        raise ConfigError(f"{len(weights)} weights for {len(m.adapters)} adapters", key="merge.weights")
    configs = []
    for path in m.adapters:
        file = Path(path) / "adapter_config.json"
        if not file.is_file():
            raise ConfigError(f"{path} is not a PEFT adapter folder (no adapter_config.json)", key="merge.adapters")
        configs.append(json.loads(file.read_text()))
    if any(c["peft_type"] != "LORA" for c in configs):
        raise ConfigError("only LoRA adapters (lora, dora, qlora) can be merged", key="merge.adapters")
    if len({c["base_model_name_or_path"] for c in configs}) != 1:
        raise ConfigError("the adapters were trained on different base models", key="merge.adapters")
    task = {"CAUSAL_LM": "generation", "SEQ_CLS": "classification", "SEQ_2_SEQ_LM": "seq2seq"}[configs[0]["task_type"]]

    base = load_model(configs[0]["base_model_name_or_path"], config, task)
    model = PeftModel.from_pretrained(base, m.adapters[0], adapter_name="a0")
    for i, path in enumerate(m.adapters[1:], start=1):
        model.load_adapter(path, adapter_name=f"a{i}")
    names = [f"a{i}" for i in range(len(m.adapters))]
    import torch

    torch.manual_seed(config.seed)  # DARE drops weights at random
    model.add_weighted_adapter(names, weights, "merged", combination_type=m.combination,
                               density=m.density if m.combination not in ("linear", "cat", "svd") else None)
    for name in names:
        model.delete_adapter(name)
    with atomic_dir(Path(out)) as tmp:
        model.save_pretrained(tmp, selected_adapters=["merged"])
        merged = tmp / "merged"
        if merged.is_dir():  # peft saves a non-default adapter in a sub-folder: lift it to the top
            for item in merged.iterdir():
                item.rename(tmp / item.name)
            merged.rmdir()
        load_tokenizer(m.adapters[0], config).save_pretrained(tmp)
    return Path(out)
