"""The C allocator's settings for a training process: glibc's malloc made to keep the memory that
tensors free, for the next tensors to reuse, instead of giving it back to the kernel.

glibc's defaults suit a training step badly: blocks from 128 KiB up start as fresh mappings
(`M_MMAP_THRESHOLD`) and freed memory at the top of the heap goes back to the kernel
(`M_TRIM_THRESHOLD`), so a step's activations arrive in new pages that fault one by one. glibc raises
both limits only as it sees each block size freed. This is what PyTorch's CPU tuning guides get from
jemalloc or tcmalloc with their decay turned off.
"""

from __future__ import annotations

from afina.malloc import glibc, set_thresholds  # noqa: F401  (glibc: the tests ask it)

# mallopt's documented ceiling for the mapping threshold on 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX):
# blocks up to it come from the heap; larger ones keep their own mapping, as glibc gives them anyway
MAPPING_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 2**31 - 1  # mallopt takes an int: never trim the heap's top while the process trains


def reuse_freed_memory() -> bool:
    """Set glibc's malloc to keep freed memory for reuse, for the rest of the process; returns whether
    it took (False on other C libraries, where nothing changes)."""
    return set_thresholds(MAPPING_THRESHOLD, TRIM_THRESHOLD)
