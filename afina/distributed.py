"""Where this process stands when `torchrun` or `accelerate launch` started several: its rank, from the
environment they set (before any process group exists). Rank 0 writes the run folder's own artifacts and
the registry; every rank trains."""

from __future__ import annotations

import os

from afina.errors import ConfigError


def world_size() -> int:
    return int(os.environ.get("WORLD_SIZE", "1"))


def is_main() -> bool:
    """Rank 0 of a distributed launch, or the only process."""
    return int(os.environ.get("RANK", "0")) == 0


def single_process(what: str) -> None:
    """Refuse a stage that writes or evaluates for the whole run under a launch of several processes."""
    if world_size() > 1:
        raise ConfigError(
            f"afina {what} runs in one process: prepare with `afina prepare`, train with `torchrun ... -m afina "
            f"train CONFIG`, then evaluate with `afina evaluate CONFIG` ({world_size()} processes were launched)"
        )
