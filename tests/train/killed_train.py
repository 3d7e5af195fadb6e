"""Run `afina train` and kill the process (SIGKILL, no clean-up) right after checkpoint KILL_AT is saved."""

import os
import signal
import sys

from transformers import TrainerCallback

from afina.config import load_config
from afina.pipeline import Options, stage_train


class KillAfterSave(TrainerCallback):
    def __init__(self, step: int):
        self.step = step

    def on_save(self, args, state, control, **kwargs):
        if state.global_step >= self.step:
            os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    config_path, kill_at = sys.argv[1], int(sys.argv[2])
    stage_train(load_config(config_path), Options(quiet=True, callbacks=(KillAfterSave(kill_at),)))
