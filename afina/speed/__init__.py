"""Speed switches: what makes a training step cheaper without changing what it computes. Each is a
`speed.*` config switch with an equivalence test (tests/speed/), and benchmarks/train_speed.py
measures what each pays (benchmarks/README.md).

Methods and objectives declare which switches they leave the model fit for (their `SPEED`); `apply`
turns on what the config asks, the declarations allow and the model supports, and returns one
`Switched` record that the trainer builder reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from pydantic import Field

from afina.settings import Section
from afina.speed.allocator import reuse_freed_memory
from afina.speed.answer_rows import accepts_logits_to_keep, answer_logits_trainer, use_last_layer_rows
from afina.speed.frozen_bf16 import adapter_inputs_left_to_autocast, frozen_linears_to_bf16
from afina.speed.fused_attention import use_fused_attention
from afina.speed.fused_lora import use_fused_lora
from afina.speed.fused_norm import use_fused_norm
from afina.speed.padding_free import PaddingFreeCollator, supports_padding_free, use_padding_free_attention

__all__ = [
    "SpeedConfig",
    "Switched",
    "allowed",
    "apply",
    "PaddingFreeCollator",
    "answer_logits_trainer",
    "METHOD_SWITCHES",
    "OBJECTIVE_SWITCHES",
]

# What a method may declare in its SPEED: the trained model's layout allows these.
METHOD_SWITCHES = frozenset({"padding_free", "frozen_bf16", "fused_lora"})
# What an objective may declare in its SPEED: its trainer takes padding-free rows, scores only answers, and runs
# every forward pass under autocast (bf16 frozen weights need it; TRL's RLOO and GRPO sample outside it).
OBJECTIVE_SWITCHES = frozenset({"padding_free", "answer_logits", "frozen_bf16"})


def allowed(method: frozenset[str], objective: frozenset[str]) -> frozenset[str]:
    """The switches a run may turn on: one that both a method and an objective can declare needs both
    declarations; one that only one of them can declare needs that one's."""
    both = METHOD_SWITCHES & OBJECTIVE_SWITCHES
    return (method & objective & both) | (method - both) | (objective - both)


class SpeedConfig(Section):
    """Switches that change how a training step is computed, not what: each on by default where it applies."""

    padding_free: bool = Field(
        True,
        description="Concatenate each batch's examples into one row with their own "
        "position ids, so no layer computes on padding; attention stays within each example. "
        "Where the objective and method allow it (not prompt-learning methods, which prepend "
        "virtual tokens to every row).",
    )
    answer_logits: bool = Field(
        True,
        description="With padding-free rows: compute the output layer only at the "
        "positions the loss scores (the answers), never over the prompt.",
    )
    answer_last_layer: bool = Field(
        True,
        description="With answer-only logits: the last decoder layer's attention "
        "output projection and MLP too, computed only where the loss scores.",
    )
    frozen_bf16: bool = Field(
        True,
        description="Under bf16 autocast, store frozen linear weights in bf16 once "
        "instead of casting them in every step: the same products, less time and memory.",
    )
    fused_lora: bool = Field(
        True,
        description="LoRA: each adapted linear layer as one autograd function (base "
        "product, adapter and sum, forward and backward) over peft's parameters; the adapter "
        "saved is peft's. Layers it does not cover (dropout, DoRA, merged) run peft's forward.",
    )
    fused_attention: bool = Field(
        True,
        description="With padding-free rows, on a CPU: each Llama-style attention "
        "layer's rotary embedding and per-example attention as one autograd function; the "
        "same outputs, fewer passes over the activations.",
    )
    plain_attention: bool = Field(
        True,
        description="With fused_attention: mid-sized examples attend by plain "
        "matrix products in fp32 instead of SDPA's CPU flash kernel, where those are "
        "faster; the same attention to float rounding.",
    )
    fused_norm: bool = Field(
        True,
        description="RMSNorm as one autograd function with its backward written out: the "
        "same outputs, fewer passes over the activations. Norms it does not compute exactly "
        "(checked on a probe) keep their forward.",
    )
    reuse_freed_memory: bool = Field(
        True,
        description="On glibc (Linux): the C allocator keeps the memory freed "
        "tensors leave for the next ones, instead of returning it to the kernel and "
        "taking fresh, page-faulting pages each step; for the rest of the process. "
        "Same results.",
    )


@dataclass(frozen=True)
class Switched:
    """What `apply` turned on, for the trainer builder and train_summary.json."""

    padding_free: bool = False
    answer_logits: bool = False
    answer_last_layer: bool = False
    frozen_bf16_parameters: int = 0
    fused_lora_layers: int = 0
    fused_attention_layers: int = 0
    plain_attention: bool = False
    fused_norm_layers: int = 0
    reuse_freed_memory: bool = False

    def to_dict(self) -> dict:
        """The record as train_summary.json holds it."""
        return asdict(self)


def apply(model, settings: SpeedConfig, supports: frozenset[str], bf16: bool, recomputes: bool) -> Switched:
    """Turn on the switches of `settings` that `supports` allows (`allowed`: what the method and the
    objective declare) and the model can take, in the order they build on each other. `bf16`,
    `recomputes`: whether the trainer autocasts to bf16 and checkpoints activations, as its arguments say
    (`train.trl` included)."""
    padding_free = settings.padding_free and "padding_free" in supports and supports_padding_free(model)
    if padding_free:
        use_padding_free_attention(model)
    frozen = bf16 and settings.frozen_bf16 and "frozen_bf16" in supports
    if frozen:
        adapter_inputs_left_to_autocast(model)
    answer_logits = (
        padding_free and settings.answer_logits and "answer_logits" in supports and accepts_logits_to_keep(model)
    )
    switched = dict(padding_free=padding_free, answer_logits=answer_logits)
    switched["frozen_bf16_parameters"] = frozen_linears_to_bf16(model) if frozen else 0
    switched["fused_lora_layers"] = use_fused_lora(model) if settings.fused_lora and "fused_lora" in supports else 0
    fused_attention = padding_free and settings.fused_attention
    switched["fused_attention_layers"] = use_fused_attention(model, settings.plain_attention) if fused_attention else 0
    switched["plain_attention"] = settings.plain_attention and switched["fused_attention_layers"] > 0
    switched["fused_norm_layers"] = use_fused_norm(model) if settings.fused_norm else 0
    switched["reuse_freed_memory"] = settings.reuse_freed_memory and reuse_freed_memory()
    # not with activation checkpointing: its recomputation, in the backward pass, runs the layer whole;
    # after fused LoRA, which leaves alone a layer whose forward is already replaced
    switched["answer_last_layer"] = (
        answer_logits and settings.answer_last_layer and not recomputes and use_last_layer_rows(model)
    )
    return Switched(**switched)
