"""LoRA (Hu et al., 2021) through peft: low-rank updates beside the frozen base weights.

DoRA and QLoRA are the same method with one switch each (see dora.py, qlora.py). The result is a
standard PEFT adapter folder that loads with `PeftModel.from_pretrained`.
"""

from typing import Literal

from pydantic import Field

from afina.errors import ConfigError
from afina.methods.peft_common import ADDITIVE_SPEED, ALL_HEADS, head_modules, load_kwargs, load_trained, wrap  # noqa: F401
from afina.settings import Section


class LoraMethod(Section):
    name: Literal["lora"] = "lora"
    r: int = Field(16, ge=1, description="LoRA rank.")
    alpha: int = Field(32, ge=1, description="LoRA scaling numerator (scale = alpha / r).")
    dropout: float = Field(0.0, ge=0.0, lt=1.0, description="Dropout on the LoRA input.")
    target_modules: list[str] | str = Field("all-linear", description="Module names to adapt, or 'all-linear'.")
    modules_to_save: list[str] = Field(
        default_factory=list,
        description="Modules trained in full beside the adapter and saved in it (peft's modules_to_save; a name "
        "matches the end of a module's path), e.g. [model.norm]: a Llama-style model's final norm, whose gain "
        "sets how sure its output layer can be (a base whose output embeddings are small cannot make new answers "
        "confident through LoRA alone).",
    )


PARAMS = LoraMethod
HEADS = ALL_HEADS
MODEL_TYPES = None
MERGEABLE = True
ARTIFACT = "adapter"
SPEED = ADDITIVE_SPEED | {"fused_lora"}
ACTIVATION_CHECKPOINTING = False


def peft_config(params: LoraMethod, head, model, use_dora: bool = False):
    """peft's LoraConfig for these settings on this model."""
    from peft import LoraConfig

    named = list(model.named_modules())
    saved = {m: [module for n, module in named if n.endswith(m)] for m in params.modules_to_save}  # peft's match
    unknown = [m for m, modules in saved.items() if not modules]
    if unknown:  # peft would train nothing in their place, silently
        raise ConfigError(
            f"no module of the model is named '{unknown[0]}' (a name matches the end of a module's path, "
            f"e.g. {next(n for n, _ in named if n)})",
            key="method.modules_to_save",
        )
    tied = [model.get_input_embeddings(), model.get_output_embeddings()]
    if getattr(model.config, "tie_word_embeddings", False) and any(m in tied for ms in saved.values() for m in ms):
        raise ConfigError(
            "the model's output layer shares its weights with its input embeddings; a copy trained apart would "
            "untie them and the export could not hold both: train a norm or a head of its own, or method full",
            key="method.modules_to_save",
        )
    # 'all-linear' must not adapt the task head, which peft trains in full (modules_to_save).
    exclude = head_modules(model) if params.target_modules == "all-linear" else None
    return LoraConfig(
        r=params.r,
        lora_alpha=params.alpha,
        lora_dropout=params.dropout,
        target_modules=params.target_modules,
        exclude_modules=exclude or None,
        task_type=head.peft_task_type,
        use_dora=use_dora,
        modules_to_save=list(params.modules_to_save) or None,  # a copy: peft appends a task head's names to it
    )


def prepare_model(model, params: LoraMethod, head):
    return wrap(model, peft_config(params, head, model))
