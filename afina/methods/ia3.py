"""IA3 (Liu et al., 2022) through peft: learned vectors that rescale keys, values and feed-forward
activations — the fewest trainable parameters of the additive methods."""

from typing import Literal

from pydantic import Field

from afina.methods.peft_common import ADDITIVE_SPEED, ALL_HEADS, load_kwargs, load_trained, wrap  # noqa: F401
from afina.settings import Section


class IA3Method(Section):
    name: Literal["ia3"] = "ia3"
    target_modules: list[str] | None = Field(
        None, description="Modules to rescale; null uses the architecture's default."
    )
    feedforward_modules: list[str] | None = Field(None, description="Which of them are feed-forward (scaled on input).")


PARAMS = IA3Method
HEADS = ALL_HEADS
MODEL_TYPES = None
MERGEABLE = True
ARTIFACT = "adapter"
SPEED = ADDITIVE_SPEED
ACTIVATION_CHECKPOINTING = False
# peft has no default for DistilBERT; these mirror its BERT defaults (key, value, feed-forward out).
DEFAULTS = {"distilbert": (["k_lin", "v_lin", "lin2"], ["lin2"])}


def prepare_model(model, params: IA3Method, head):
    from peft import IA3Config

    targets, feedforward = params.target_modules, params.feedforward_modules
    if targets is None and model.config.model_type in DEFAULTS:
        targets, feedforward = DEFAULTS[model.config.model_type]
    return wrap(
        model, IA3Config(target_modules=targets, feedforward_modules=feedforward, task_type=head.peft_task_type)
    )
