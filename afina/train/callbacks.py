"""Trainer callbacks that write afina's run-folder artifacts."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

from transformers import TrainerCallback

from afina.runfolder import write_text_atomic


class MetricsJsonl(TrainerCallback):
    """Append one JSON line per logged step (train loss, eval loss, learning rate) to metrics.jsonl."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if state.is_world_process_zero and logs:
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"step": state.global_step, "epoch": state.epoch, **logs}) + "\n")


def _logged_step(line: str) -> int | None:
    """The step a metrics line was logged at; None for a line a kill tore in the middle of its write."""
    try:
        return json.loads(line)["step"]
    except (json.JSONDecodeError, KeyError, TypeError):
        return None


def truncate_metrics(path: Path, last_step: int) -> None:
    """On resume, forget the lines logged after the checkpoint (they will be logged again) and a line torn
    by the kill."""
    path = Path(path)
    if not path.is_file():
        return
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if _logged_step(line) is not None]
    kept = [line for line in lines if _logged_step(line) <= last_step]
    write_text_atomic(path, "".join(line + "\n" for line in kept))


class StopOnSigterm(TrainerCallback):
    """SIGTERM (what a scheduler sends before it kills) during training: the step under way finishes, a
    checkpoint is saved, and training stops; `requested` tells the caller. Other signals are left alone."""

    def __init__(self):
        self.requested = False
        self._previous = None

    def _handle(self, signum, frame):
        self.requested = True

    def on_train_begin(self, args, state, control, **kwargs):
        if threading.current_thread() is threading.main_thread():  # signal handlers live in the main thread
            self._previous = signal.signal(signal.SIGTERM, self._handle)

    def on_step_end(self, args, state, control, **kwargs):
        if self.requested:
            control.should_save = True
            control.should_training_stop = True

    def on_train_end(self, args, state, control, **kwargs):
        self.restore()

    def restore(self) -> None:
        """Give SIGTERM back its handler from before training (also where training ended by an error)."""
        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)
            self._previous = None


def tensorboard(log_dir: Path):
    """TensorBoard events under the run folder (transformers 5 dropped `logging_dir`)."""
    from torch.utils.tensorboard import SummaryWriter
    from transformers.integrations import TensorBoardCallback

    return TensorBoardCallback(tb_writer=SummaryWriter(log_dir=str(log_dir)))
