"""The train stage: fine-tuning for generation (TRL's SFTTrainer), classification and seq2seq.

Reads the prepared splits from the run folder, builds the model through the configured method,
trains with validation loss every N steps, early stopping and resumable checkpoints, and saves
the adapter or the model into the run folder.
"""

from afina.train.run import build_trainer, latest_checkpoint, resolve_task, run_train

__all__ = ["run_train", "build_trainer", "latest_checkpoint", "resolve_task"]
