"""Trainer callbacks that write afina's run-folder artifacts."""

from __future__ import annotations

import json
from pathlib import Path

from transformers import TrainerCallback


class MetricsJsonl(TrainerCallback):
    """Append one JSON line per logged step (train loss, eval loss, learning rate) to metrics.jsonl."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if state.is_world_process_zero and logs:
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"step": state.global_step, "epoch": state.epoch, **logs}) + "\n")


def truncate_metrics(path: Path, last_step: int) -> None:
    """On resume, forget the lines logged after the checkpoint: they will be logged again."""
    path = Path(path)
    if not path.is_file():
        return
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["step"] <= last_step
    ]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def tensorboard(log_dir: Path):
    """TensorBoard events under the run folder (transformers 5 dropped `logging_dir`)."""
    from torch.utils.tensorboard import SummaryWriter
    from transformers.integrations import TensorBoardCallback

    return TensorBoardCallback(tb_writer=SummaryWriter(log_dir=str(log_dir)))
