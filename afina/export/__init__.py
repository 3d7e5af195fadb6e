"""The export stage: `afina export` merges a run's adapter into its base as a standalone transformers
model; `afina merge` combines several adapters trained on different tasks into one (peft's weighted
linear, TIES and DARE)."""

from __future__ import annotations

import json
from pathlib import Path

from afina.config import Config
from afina.errors import ConfigError
from afina.methods import all_methods, get_method
from afina.models import load_model, load_tokenizer
from afina.models.heads import HEADS, head_of_peft_task, label_kwargs
from afina.runfolder import RunFolder, atomic_dir, write_json_atomic


def export_merged(config: Config, run: RunFolder, out: Path) -> Path:
    """Merge the run's adapter into its base weights and save a standalone model folder at `out`."""
    from peft import PeftModel

    summary = run.read_train_summary()
    method = get_method(summary.method)
    if method.ARTIFACT == "model":
        raise ConfigError(
            f"method '{summary.method}' already wrote a standalone model: {run.result(summary)}", key="method.name"
        )
    if not method.MERGEABLE:
        mergeable = sorted(n for n, m in all_methods().items() if m.MERGEABLE)
        raise ConfigError(
            f"method '{summary.method}' cannot be merged into the base weights; mergeable methods: "
            f"{', '.join(mergeable)}",
            key="method.name",
        )
    adapter = run.result(summary)
    base = json.loads((adapter / "adapter_config.json").read_text())["base_model_name_or_path"]
    # QLoRA adapters merge into a full-precision copy of the base: a 4-bit model cannot be saved merged.
    base_model = load_model(base, config.model, HEADS[summary.head], **label_kwargs(summary.labels))
    model = PeftModel.from_pretrained(base_model, str(adapter)).merge_and_unload().eval()
    tokenizer = load_tokenizer(str(adapter), config.model)
    fidelity = _fidelity(model, tokenizer, config, run, summary)
    with atomic_dir(Path(out)) as tmp:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        write_json_atomic(tmp / FIDELITY, fidelity)
    return Path(out)


FIDELITY = "afina_export.json"  # how far the exported model is from the trained one, measured at export
FIDELITY_PROMPTS = 16


def _fidelity(merged, tokenizer, config: Config, run: RunFolder, summary) -> dict:
    """The merged model against the trained result as afina loads it (for QLoRA, the adapter on its 4-bit
    base) on the first test prompts: how many greedy answers agree, and the largest logit difference."""
    import torch

    from afina.methods import load_result
    from afina.models.generate import generate
    from afina.records import as_conversation

    measured = {"method": summary.method, "head": summary.head}
    if summary.head != "causal_lm":
        return measured | {"note": "not measured: greedy answers are compared for causal LMs"}
    conversations = [as_conversation(r, config.data.system_prompt) for r in run.read_split("test")]
    prompts = [c["prompt"] for c in conversations if "prompt" in c][:FIDELITY_PROMPTS]
    if not prompts:
        return measured | {"note": "not measured: the test split has no prompts"}
    trained, _ = load_result(run, config.model, config.seed)
    answers = {
        name: generate(m, tokenizer, prompts, config.evaluate.max_new_tokens, config.evaluate.batch_size)
        for name, m in (("trained", trained), ("merged", merged))
    }
    difference = 0.0
    with torch.no_grad():
        for prompt in prompts:
            text = tokenizer.apply_chat_template(prompt, add_generation_prompt=True, tokenize=False)
            ids = tokenizer(text, return_tensors="pt", add_special_tokens=False)["input_ids"]
            logits = [m(input_ids=ids.to(m.device)).logits.float().cpu() for m in (trained, merged)]
            difference = max(difference, (logits[0] - logits[1]).abs().max().item())
    same = sum(a == b for a, b in zip(answers["trained"], answers["merged"]))
    return measured | {"prompts": len(prompts), "same_greedy_answers": same, "max_logit_difference": difference}


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
    for path, c in zip(m.adapters, configs):  # a task head peft adds by itself is merged as it always was
        whole = sorted(set(c.get("modules_to_save") or []) - {"classifier", "pre_classifier", "score"})
        if whole:
            raise ConfigError(
                f"{path} trains {', '.join(whole)} in full beside its LoRA; a weighted merge combines low-rank "
                "updates only: merge the exported models instead",
                key="merge.adapters",
            )
    if len({c["base_model_name_or_path"] for c in configs}) != 1:
        raise ConfigError("the adapters were trained on different base models", key="merge.adapters")
    head = head_of_peft_task(configs[0]["task_type"])

    base = load_model(configs[0]["base_model_name_or_path"], config.model, head)
    model = PeftModel.from_pretrained(base, m.adapters[0], adapter_name="a0")
    for i, path in enumerate(m.adapters[1:], start=1):
        model.load_adapter(path, adapter_name=f"a{i}")
    names = [f"a{i}" for i in range(len(m.adapters))]
    import torch

    torch.manual_seed(config.seed)  # DARE drops weights at random
    model.add_weighted_adapter(
        names,
        weights,
        "merged",
        combination_type=m.combination,
        density=m.density if m.combination not in ("linear", "cat", "svd") else None,
    )
    for name in names:
        model.delete_adapter(name)
    with atomic_dir(Path(out)) as tmp:
        model.save_pretrained(tmp, selected_adapters=["merged"])
        merged = tmp / "merged"
        if merged.is_dir():  # peft saves a non-default adapter in a sub-folder: lift it to the top
            for item in merged.iterdir():
                item.rename(tmp / item.name)
            merged.rmdir()
        load_tokenizer(m.adapters[0], config.model).save_pretrained(tmp)
    return Path(out)
