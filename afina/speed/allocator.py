"""The C allocator's settings for a training process: glibc's malloc made to keep the memory that
tensors free, for the next tensors to reuse, instead of giving it back to the kernel.

Written here because neither torch nor transformers touches it, and glibc's defaults suit a training
step badly: blocks from 128 KiB up start as fresh mappings (`M_MMAP_THRESHOLD`) and freed memory at
the top of the heap goes back to the kernel (`M_TRIM_THRESHOLD`), so a step's activations arrive in new
pages that fault one by one. glibc raises both limits only as it sees each block size freed. This is
what PyTorch's CPU tuning guides get from jemalloc or tcmalloc with their decay turned off.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's <malloc.h>
# mallopt's documented ceiling for the mapping threshold on 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX):
# blocks up to it come from the heap; larger ones keep their own mapping, as glibc gives them anyway
MAPPING_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 2**31 - 1  # mallopt takes an int: never trim the heap's top while the process trains


def glibc() -> bool:
    """Whether this process runs on glibc (Linux distributions other than Alpine's musl)."""
    try:
        return sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (ValueError, OSError):
        return False


def reuse_freed_memory() -> bool:
    """Set glibc's malloc to keep freed memory for reuse, for the rest of the process; returns whether
    it took (False on other C libraries, where nothing changes)."""
    if not glibc():
        return False
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, MAPPING_THRESHOLD) == 1 and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
