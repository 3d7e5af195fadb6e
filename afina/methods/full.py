"""Full fine-tuning: every weight of the base model is trained; the result is a whole model folder."""

from afina.config import FullMethod

PARAMS = FullMethod
TASKS = ("generation", "classification", "seq2seq")
MODEL_TYPES = None
MERGEABLE = False  # nothing to merge: the result is already a standalone model
ARTIFACT = "model"


def load_kwargs(params) -> dict:
    return {}


def prepare_model(model, params: FullMethod, task: str):
    for parameter in model.parameters():
        parameter.requires_grad_(True)
    return model
