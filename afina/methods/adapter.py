"""Bottleneck adapters (Houlsby et al., 2019; Pfeiffer et al., 2020), afina's own implementation.

Small down-project → non-linearity → up-project layers added, with a residual, after the
feed-forward output (pfeiffer) or after both the attention and the feed-forward outputs (houlsby)
of every block; only they and the task head train. Written here because the AdapterHub `adapters`
package pins transformers below 5. Saved as safetensors + `afina_adapter_config.json`, mirroring a
PEFT folder; not mergeable (the bottleneck is non-linear).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import Field
from torch import nn

from afina.methods.peft_common import ADDITIVE_SPEED, ALL_HEADS, load_kwargs  # noqa: F401  (no extra loading arguments)
from afina.models import heads
from afina.models.heads import HEAD_NAMES
from afina.settings import Section


class AdapterMethod(Section):
    name: Literal["adapter"] = "adapter"
    reduction_factor: int = Field(16, ge=1, description="Bottleneck width = hidden size / reduction_factor.")
    placement: Literal["pfeiffer", "houlsby"] = Field(
        "pfeiffer", description="pfeiffer: after the feed-forward only; houlsby: after attention and feed-forward."
    )
    activation: Literal["relu", "gelu", "silu"] = Field("relu", description="Bottleneck non-linearity.")


PARAMS = AdapterMethod
HEADS = ALL_HEADS
# model type -> (feed-forward output, attention output) module-name patterns
TARGETS = {
    "llama": (r"mlp\.down_proj$", r"self_attn\.o_proj$"),
    "qwen2": (r"mlp\.down_proj$", r"self_attn\.o_proj$"),
    "mistral": (r"mlp\.down_proj$", r"self_attn\.o_proj$"),
    "gpt2": (r"mlp\.c_proj$", r"\.attn\.c_proj$"),
    "bert": (r"layer\.\d+\.output\.dense$", r"attention\.output\.dense$"),
    "roberta": (r"layer\.\d+\.output\.dense$", r"attention\.output\.dense$"),
    "distilbert": (r"ffn\.lin2$", r"attention\.out_lin$"),
    "t5": (r"DenseReluDense\.wo$", r"SelfAttention\.o$"),
}
MODEL_TYPES = set(TARGETS)
MERGEABLE = False
ARTIFACT = "adapter"
SPEED = ADDITIVE_SPEED
ACTIVATION_CHECKPOINTING = False
CONFIG_NAME = "afina_adapter_config.json"
# afina_adapter_config.json as releases before heads wrote it: the task it was trained for
_TASK_HEADS = {
    "generation": heads.CAUSAL_LM,
    "classification": heads.SEQUENCE_CLASSIFICATION,
    "seq2seq": heads.SEQ2SEQ_LM,
}
WEIGHTS_NAME = "adapter_model.safetensors"
_ACTIVATIONS = {"relu": nn.ReLU, "gelu": nn.GELU, "silu": nn.SiLU}


class Bottleneck(nn.Module):
    """Wraps an output projection: y = base(x); y + up(act(down(y))). `up` starts at zero, so the
    adapted model starts exactly as the base model (the near-identity init of Houlsby et al.)."""

    def __init__(self, base: nn.Module, reduction_factor: int, activation: str):
        super().__init__()
        width = base.out_features if hasattr(base, "out_features") else base.nf  # nn.Linear or GPT-2 Conv1D
        self.base = base
        self.down = nn.Linear(width, max(1, width // reduction_factor))
        self.act = _ACTIVATIONS[activation]()
        self.up = nn.Linear(self.down.out_features, width)
        nn.init.zeros_(self.up.weight)
        nn.init.zeros_(self.up.bias)

    @property
    def weight(self):  # some models read their projection's dtype from `.weight` (T5's wo)
        return self.base.weight

    def forward(self, *args, **kwargs):
        hidden = self.base(*args, **kwargs)
        return hidden + self.up(self.act(self.down(hidden)))


def _inject(model, params: AdapterMethod) -> int:
    ffn, attention = TARGETS[model.config.model_type]
    patterns = [ffn] + ([attention] if params.placement == "houlsby" else [])
    names = [n for n, _ in model.named_modules() if any(re.search(p, n) for p in patterns)]
    for name in names:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name)
        wrapped = Bottleneck(getattr(parent, child), params.reduction_factor, params.activation)
        setattr(parent, child, wrapped.to(next(wrapped.base.parameters()).device))
    return len(names)


def _train_only_adapters_and_head(model) -> None:
    model.requires_grad_(False)
    tied = getattr(model.config, "tie_word_embeddings", False)
    for name, module in model.named_modules():
        if isinstance(module, Bottleneck):
            module.down.requires_grad_(True)
            module.up.requires_grad_(True)
        elif name.split(".")[-1] in HEAD_NAMES and not (name.endswith("lm_head") and tied):
            module.requires_grad_(True)


def prepare_model(model, params: AdapterMethod, head):
    _inject(model, params)
    _train_only_adapters_and_head(model)
    model.afina_adapter = {"params": params.model_dump(), "head": head.name}
    return model


def save_trained(model, path: Path) -> None:
    from safetensors.torch import save_file

    state = {n: p.detach().contiguous().cpu() for n, p in model.named_parameters() if p.requires_grad}
    save_file(state, str(Path(path) / WEIGHTS_NAME))
    (Path(path) / CONFIG_NAME).write_text(
        json.dumps(
            {
                "method": "adapter",
                "base_model_name_or_path": model.config._name_or_path,
                "model_type": model.config.model_type,
                **model.afina_adapter,
            },
            indent=2,
        )
        + "\n"
    )


def load_trained(base_model, path):
    from safetensors.torch import load_file

    saved = json.loads((Path(path) / CONFIG_NAME).read_text())
    head = heads.HEADS[saved["head"]] if "head" in saved else _TASK_HEADS[saved["task"]]
    model = prepare_model(base_model, AdapterMethod(**saved["params"]), head)
    state = load_file(str(Path(path) / WEIGHTS_NAME))
    missing = set(state) - {n for n, _ in model.named_parameters()}
    if missing:
        raise ValueError(f"{path} does not fit this base model: unknown weights {sorted(missing)[:3]}")
    model.load_state_dict(state, strict=False)
    return model
