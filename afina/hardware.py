"""What the machine computes fast, for the defaults that depend on it (bf16 autocast)."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def native_bf16() -> bool:
    """True on a CUDA GPU with bf16, or a CPU with AVX512-BF16 or AMX-BF16 instructions (Linux)."""
    import torch

    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    cpuinfo = Path("/proc/cpuinfo")
    flags = cpuinfo.read_text() if cpuinfo.is_file() else ""
    return "avx512_bf16" in flags or "amx_bf16" in flags


def use_bf16(setting: bool | str) -> bool:
    return native_bf16() if setting == "auto" else bool(setting)
