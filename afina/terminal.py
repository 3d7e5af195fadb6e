"""How progress is shown: bars on a terminal; one plain line per logged step where the output goes to a
file (CI, nohup), so that a log holds neither bar redraws nor raw metric dicts; nothing with --quiet.
`AFINA_PROGRESS=bars|lines|none` chooses for any output."""

from __future__ import annotations

import os
import sys

MODES = ("bars", "lines", "none")


def progress_mode(quiet: bool) -> str:
    """bars, lines or none: none with --quiet, else AFINA_PROGRESS, else bars on a terminal only."""
    if quiet:
        return "none"
    chosen = os.environ.get("AFINA_PROGRESS", "")
    if chosen in MODES:
        return chosen
    return "bars" if sys.stdout.isatty() else "lines"


def bars(quiet: bool) -> bool:
    """Whether progress bars are shown (generation, the trainer's own bar)."""
    return progress_mode(quiet) == "bars"


def show_progress(trainer, quiet: bool) -> None:
    """Give a built transformers Trainer the progress output of this mode: its own bar and printed logs,
    plain lines instead of both, or nothing."""
    from transformers import PrinterCallback, ProgressCallback

    mode = progress_mode(quiet)
    if mode == "bars":
        return
    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)
    if mode == "lines":
        trainer.add_callback(_plain_lines())


def _plain_lines():
    from transformers import TrainerCallback

    class PlainLines(TrainerCallback):
        """One line per logged step: step, losses, learning rate."""

        def on_train_begin(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                print(f"training: {state.max_steps} steps", flush=True)

        def on_log(self, args, state, control, logs=None, **kwargs):
            shown = {k: v for k, v in (logs or {}).items() if k in ("loss", "eval_loss", "learning_rate")}
            if state.is_world_process_zero and shown:
                values = ", ".join(f"{k} {v:.4g}" for k, v in shown.items())
                print(f"step {state.global_step}/{state.max_steps}: {values}", flush=True)

    return PlainLines()
