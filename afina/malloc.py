"""glibc's malloc settings, the two that decide whether freed memory goes back to the kernel: blocks
from the mapping threshold up get a mapping of their own, unmapped when freed; freed memory at the
heap's top past the trim threshold is given back. Neither torch nor transformers touches them, so
afina sets them itself: kept for reuse while a model trains (afina.speed.allocator), given back while
a checkpoint streams through memory (`giving_back`)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's <malloc.h>
DEFAULT_MAPPING_THRESHOLD = DEFAULT_TRIM_THRESHOLD = 128 * 1024  # glibc's own starting values
# set last by `set_thresholds` in this process; None: glibc's defaults, which it raises by itself as it
# sees larger blocks freed
_current: tuple[int, int] | None = None


def glibc() -> bool:
    """Whether this process runs on glibc (Linux distributions other than Alpine's musl)."""
    try:
        return sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (ValueError, OSError):
        return False


def set_thresholds(mapping: int, trim: int) -> bool:
    """Set both thresholds for the rest of the process (which stops glibc from moving them by itself);
    returns whether it took (False off glibc, where nothing changes)."""
    global _current
    if not glibc():
        return False
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    took = mallopt(M_MMAP_THRESHOLD, mapping) == 1 and mallopt(M_TRIM_THRESHOLD, trim) == 1
    if took:
        _current = (mapping, trim)
    return took


@contextlib.contextmanager
def giving_back(mapping: int = 1024 * 1024):
    """Inside: every block of `mapping` bytes or more is its own mapping, returned to the kernel when freed.
    A checkpoint read tensor by tensor, each converted (quantised) and freed as it arrives, then holds one
    tensor at a time; under glibc's raised thresholds, or the ones kept for training, the freed tensors
    stayed in the heap, scattered among the converted ones. The thresholds set before are put back after;
    where none were, glibc's starting ones, which then stay fixed: once set, glibc no longer raises them by
    itself, and nothing gives it that back."""
    before = _current or (DEFAULT_MAPPING_THRESHOLD, DEFAULT_TRIM_THRESHOLD)
    set_thresholds(mapping, 2 * mapping)
    try:
        yield
    finally:
        set_thresholds(*before)
