"""Fine-tuning methods, one module each, all with the same shape, found by `method.name`.

A method module defines:
    TASKS       the task types it supports
    MERGEABLE   whether its result can be merged into the base weights
    ARTIFACT    the run-folder name of what it saves: "adapter" (PEFT folder) or "model" (transformers folder)
    prepare_model(model, params) -> the model ready to train
"""

from __future__ import annotations

import importlib
from types import ModuleType

from afina.config import METHOD_PARAMS

_MODULES = {name: f"afina.methods.{name}" for name in METHOD_PARAMS}


def get_method(name: str) -> ModuleType:
    """The module that implements `method.name` (config validation guarantees it exists)."""
    return importlib.import_module(_MODULES[name])


def trainable_parameters(model) -> dict:
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return {"trainable": trainable, "total": total, "percent": round(100 * trainable / max(total, 1), 4)}
