"""glibc's malloc set to keep freed memory: fewer page faults for the same allocations, the same results."""

import json
import subprocess
import sys

import pytest

from afina.speed.allocator import glibc

from conftest import write_config

needs_glibc = pytest.mark.skipif(not glibc(), reason="mallopt's thresholds are glibc's")

# a block of each size from 1 to 24 MiB, written through and freed in turn, as a training step's activations
# of new lengths come and go; prints the page faults they cost (a fresh process: the allocator's own state)
ALLOCATIONS = """
import ctypes, resource, sys
from afina.speed.allocator import reuse_freed_memory
if sys.argv[1] == "on":
    assert reuse_freed_memory()
libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes, libc.free.argtypes = ctypes.c_void_p, (ctypes.c_size_t,), (ctypes.c_void_p,)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for mib in range(1, 25):
    block = libc.malloc(mib << 20)
    ctypes.memset(block, 1, mib << 20)
    libc.free(block)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(setting: str) -> int:
    proc = subprocess.run([sys.executable, "-c", ALLOCATIONS, setting], capture_output=True, text=True, check=True)
    return int(proc.stdout)


@needs_glibc
def test_freed_memory_is_reused_instead_of_faulted_in_again():
    pages = sum(range(1, 25)) * 256  # every block's 4 KiB pages: what fresh mappings fault in
    off, on = _faults("off"), _faults("on")
    assert off > pages / 2  # glibc's default: most blocks get pages of their own
    assert on < 24 * 256 * 1.5  # kept: the heap grows to the largest block once and is reused
    assert on < off / 4


@pytest.mark.slow
@needs_glibc
def test_reusing_freed_memory_changes_no_loss(tiny_base, tmp_path):
    """Each run in its own process: the setting is the process's, and stays once made."""
    losses = {}
    for setting in ("false", "true"):
        work = tmp_path / setting
        work.mkdir()
        config = write_config(
            work, train={"max_steps": 8, "eval_steps": 4}, speed={"reuse_freed_memory": setting == "true"}
        )
        subprocess.run([sys.executable, "-m", "afina", "run", str(config), "--quiet"], check=True, capture_output=True)
        run = work / "runs" / "tiny"
        lines = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
        losses[setting] = [
            line.get("loss", line.get("eval_loss")) for line in lines if "loss" in line or "eval_loss" in line
        ]
        assert json.loads((run / "train_summary.json").read_text())["speed"]["reuse_freed_memory"] is (
            setting == "true"
        )
    assert len(losses["true"]) >= 4 and losses["true"] == losses["false"]  # bit for bit
