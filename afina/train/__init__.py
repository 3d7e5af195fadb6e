"""The train stage: fine-tune the base model on the prepared splits by the configured objective and
method, with validation loss every N steps, early stopping and resumable checkpoints, and save the
adapter or the model into the run folder (afina/speed makes the steps cheaper).
"""

from afina.train.run import build_trainer, latest_checkpoint, resolve_objective, run_train

__all__ = ["run_train", "build_trainer", "latest_checkpoint", "resolve_objective"]
