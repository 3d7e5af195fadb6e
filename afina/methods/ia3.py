"""IA3 (Liu et al., 2022) through peft: learned vectors that rescale keys, values and feed-forward
activations — the fewest trainable parameters of the additive methods."""

from afina.config import IA3Method
from afina.methods.peft_common import ALL_TASKS, load_kwargs, load_trained, task_type, wrap  # noqa: F401

PARAMS = IA3Method
TASKS = ALL_TASKS
MODEL_TYPES = None
MERGEABLE = True
ARTIFACT = "adapter"
# peft has no default for DistilBERT; these mirror its BERT defaults (key, value, feed-forward out).
DEFAULTS = {"distilbert": (["k_lin", "v_lin", "lin2"], ["lin2"])}


def prepare_model(model, params: IA3Method, task: str):
    from peft import IA3Config

    targets, feedforward = params.target_modules, params.feedforward_modules
    if targets is None and model.config.model_type in DEFAULTS:
        targets, feedforward = DEFAULTS[model.config.model_type]
    return wrap(model, IA3Config(target_modules=targets, feedforward_modules=feedforward, task_type=task_type(task)))
