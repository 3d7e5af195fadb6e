"""The benchmarks are not timed tests; CI only runs them in smoke mode so they keep working."""

import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def test_methods_benchmark_smoke(tiny_base, tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "methods.py"), "--smoke", "--work", str(tmp_path),
                           "--out", str(tmp_path / "table.md")], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = (tmp_path / "table.md").read_text().splitlines()
    assert table[0].startswith("| model | method | trainable |") and len(table) == 4
    assert "| lora |" in table[2] and "| full |" in table[3] and "100.00%" in table[3]


def test_train_speed_benchmark_smoke(tiny_base, tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "train_speed.py"), "--smoke", "--work",
                           str(tmp_path), "--out", str(tmp_path / "speed.md")], capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = (tmp_path / "speed.md").read_text()
    assert "Matmul peak" in table and "| baseline |" in table and "| afina |" in table
    # one ablation row per switch, each run with that switch turned back (fp32 where bf16 is)
    for switch in ("padding_free=false", "answer_logits=false", "frozen_bf16=false", "activation_checkpointing=true"):
        assert f"| afina, {switch} |" in table
    assert "| afina, bf16=false | fp32 |" in table


def test_generate_speed_benchmark_smoke(tiny_base, tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate_speed.py"), "--smoke", "--work",
                           str(tmp_path), "--out", str(tmp_path / "generate.md")], capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [line for line in (tmp_path / "generate.md").read_text().splitlines() if line.startswith("| ")][1:]
    assert [r.split(" | ")[0] for r in rows] == ["| plain generate loop"] + ["| afina generate_ids"] * 4 + [
        "| afina generate_ids, static KV cache", "| continuous batching (generate_batch)"]
    # fp32 greedy in batches gives the loop's answers on the tiny model
    assert all(r.rstrip(" |").endswith("6/6") for r in rows if "| fp32 |" in r)
