"""The train stage: supervised fine-tuning of a causal LM with TRL's SFTTrainer.

Reads the prepared splits from the run folder, builds the model through the configured method,
trains with validation loss every N steps, early stopping and resumable checkpoints, and saves
the adapter (PEFT format) or the model (transformers format) into the run folder.
"""

from afina.train.sft import latest_checkpoint, run_train

__all__ = ["run_train", "latest_checkpoint"]
